import { z } from 'zod';
import { tf } from '../tf.js';
import type { Autoencoder } from '../autoencoder.js';
import { parseConfig } from '../config.js';
import { range, splitDataset, type Dataset } from '../dataset.js';
import { NonFiniteLossError } from '../errors.js';
import { noiseSpecSchema, type NoiseSpec } from '../noise.js';
import { deriveSeed, shuffledIndices } from '../random.js';
import { EarlyStopping, type EarlyStoppingOptions } from './early-stopping.js';
import { evaluate, modelInput } from './evaluate.js';
import type { CheckpointOptions, EpochRecord, StopReason, TrainingCallbacks, TrainingResult } from './events.js';
import { createOptimizer, OPTIMIZER_NAMES } from './optimizer.js';

/** Options of {@link fit}; every field has a default. */
export interface FitOptions {
  /** Passes over the training data; 10 by default. */
  epochs?: number;
  /** Examples per gradient step; 256 by default. */
  batchSize?: number;
  /** Shuffle the examples each epoch (seeded); true by default. */
  shuffle?: boolean;
  /** Seed of shuffling, noise and sampling; 0 by default. Same seed, same weights on the same backend. */
  seed?: number;
  /** A built-in optimizer name (`adam` by default) or a tfjs optimizer. */
  optimizer?: string | tf.Optimizer;
  /** Learning rate of a named optimizer. */
  learningRate?: number;
  /** Data to compute the validation loss on after each epoch. */
  validation?: Dataset;
  /** Share of the training data to hold out for validation, if `validation` is not given. */
  validationSplit?: number;
  /** Trains as a denoising autoencoder: corrupted input, clean target. */
  noise?: NoiseSpec;
  /** Event listeners (progress display, logging, tests). */
  callbacks?: TrainingCallbacks[];
  /** Stop when the monitored loss stops improving. */
  earlyStopping?: EarlyStoppingOptions;
  /** Save checkpoints during training. */
  checkpoint?: CheckpointOptions;
  /** Stops training after the current batch when aborted. */
  signal?: AbortSignal;
  /** First epoch to run (for resuming); 0 by default. */
  initialEpoch?: number;
  /** History of the epochs before `initialEpoch`, when resuming. */
  initialHistory?: EpochRecord[];
}

const optionsSchema = z.object({
  epochs: z.number().int().positive().default(10),
  batchSize: z.number().int().positive().default(256),
  shuffle: z.boolean().default(true),
  seed: z.number().int().default(0),
  learningRate: z.number().finite().positive().optional(),
  validationSplit: z.number().gt(0).lt(1).optional(),
  noise: noiseSpecSchema.optional(),
  initialEpoch: z.number().int().nonnegative().default(0),
  optimizer: z.union([z.enum(OPTIMIZER_NAMES), z.instanceof(tf.Optimizer)]).default('adam'),
  earlyStopping: z
    .object({
      monitor: z.enum(['loss', 'valLoss']).optional(),
      patience: z.number().int().positive().default(5),
      minDelta: z.number().finite().nonnegative().default(0),
      restoreBestWeights: z.boolean().default(true),
    })
    .optional(),
  checkpoint: z.object({ everyEpochs: z.number().int().positive() }).passthrough().optional(),
});

/**
 * Trains an autoencoder with aekit's own loop (not `model.fit`), so that any
 * composition of loss terms trains: for each batch it runs the family's
 * forward pass, sums the loss terms, checks that the loss is finite and only
 * then applies the gradients.
 *
 * @param autoencoder - The model to train (its weights are updated in place).
 * @param data - Training data in the model's input shape.
 * @param options - Epochs, batch size, seed, optimizer, validation, noise, callbacks.
 * @returns The per-epoch history, throughput and why training stopped.
 * @throws ConfigError for an invalid option, naming it.
 * @throws NonFiniteLossError when the loss becomes NaN or infinite.
 */
export async function fit(autoencoder: Autoencoder, data: Dataset, options: FitOptions = {}): Promise<TrainingResult> {
  const opts = parseConfig(optionsSchema, { ...options, validation: undefined, callbacks: undefined, signal: undefined });
  let train = data;
  let validation = options.validation;
  if (!validation && opts.validationSplit !== undefined) {
    ({ train, validation } = splitDataset(data, opts.validationSplit, deriveSeed(opts.seed, -2)));
  }
  const optimizer = typeof opts.optimizer === 'string' ? createOptimizer(opts.optimizer, opts.learningRate) : opts.optimizer;
  const callbacks = options.callbacks ?? [];
  const emit = async <K extends keyof TrainingCallbacks>(event: K, arg: Parameters<NonNullable<TrainingCallbacks[K]>>[0]) => {
    for (const callback of callbacks) await (callback[event] as ((a: typeof arg) => unknown) | undefined)?.call(callback, arg);
  };

  const batchesPerEpoch = Math.ceil(train.size / opts.batchSize);
  const history: EpochRecord[] = [...(options.initialHistory ?? [])];
  const stopper = opts.earlyStopping
    ? new EarlyStopping(opts.earlyStopping.monitor ?? (validation ? 'valLoss' : 'loss'), opts.earlyStopping.patience, opts.earlyStopping.minDelta)
    : undefined;
  let bestWeights: tf.Tensor[] | undefined;
  let stopReason: StopReason = 'completed';
  let trainingSeconds = 0;
  let samplesSeen = 0;

  await emit('onTrainBegin', {
    epochs: opts.epochs,
    initialEpoch: opts.initialEpoch,
    batchesPerEpoch,
    trainingSamples: train.size,
    validationSamples: validation?.size ?? 0,
  });

  for (let epoch = opts.initialEpoch; epoch < opts.epochs && stopReason === 'completed'; epoch++) {
    await emit('onEpochBegin', epoch);
    const order = opts.shuffle ? shuffledIndices(train.size, deriveSeed(opts.seed, epoch)) : range(0, train.size);
    const sums: Record<string, number> = {};
    let lossSum = 0;
    let seen = 0;
    const started = now();
    for (let b = 0; b < batchesPerEpoch; b++) {
      const indices = order.subarray(b * opts.batchSize, Math.min((b + 1) * opts.batchSize, train.size));
      const values = await trainStep(autoencoder, optimizer, train, indices, {
        epoch,
        noise: opts.noise,
        noiseSeed: deriveSeed(opts.seed, epoch, b),
        forwardSeed: deriveSeed(opts.seed, epoch, b, 1),
      });
      if (!Number.isFinite(values.total)) throw new NonFiniteLossError(epoch, b, values.total);
      lossSum += values.total * indices.length;
      for (const [name, v] of Object.entries(values.terms)) sums[name] = (sums[name] ?? 0) + v * indices.length;
      seen += indices.length;
      await emit('onBatchEnd', { epoch, batch: b, batchesPerEpoch, loss: values.total, epochLoss: lossSum / seen });
      if (options.signal?.aborted) {
        stopReason = 'aborted';
        break;
      }
    }
    const seconds = (now() - started) / 1000;
    trainingSeconds += seconds;
    samplesSeen += seen;
    if (stopReason === 'aborted' && seen < train.size) break;

    const record: EpochRecord = { epoch, loss: lossSum / seen, terms: divide(sums, seen), seconds };
    if (validation) {
      const v = await evaluate(autoencoder, validation, { batchSize: opts.batchSize, noise: opts.noise, seed: opts.seed, epoch });
      record.valLoss = v.loss;
      record.valTerms = v.terms;
    }
    history.push(record);
    await emit('onEpochEnd', record);

    if (stopper) {
      const { improved, stop } = stopper.update(record);
      if (improved && opts.earlyStopping?.restoreBestWeights) {
        tf.dispose(bestWeights);
        bestWeights = autoencoder.model.getWeights().map((w) => tf.clone(w));
      }
      if (stop) stopReason = 'early-stopping';
    }
    const last = epoch + 1 === opts.epochs || stopReason !== 'completed';
    if (options.checkpoint && ((epoch + 1) % opts.checkpoint!.everyEpochs === 0 || last)) {
      await options.checkpoint.save({ epochsDone: epoch + 1, history, autoencoder, optimizer });
    }
  }

  if (stopReason === 'early-stopping' && bestWeights) autoencoder.model.setWeights(bestWeights);
  tf.dispose(bestWeights);
  if (typeof opts.optimizer === 'string') optimizer.dispose();

  const result: TrainingResult = {
    history,
    stopReason,
    seconds: trainingSeconds,
    samplesPerSecond: trainingSeconds > 0 ? samplesSeen / trainingSeconds : 0,
    bestEpoch: stopper?.bestEpoch ?? bestByLoss(history),
  };
  await emit('onTrainEnd', result);
  return result;
}

interface StepSettings {
  epoch: number;
  noise?: NoiseSpec;
  noiseSeed: number;
  forwardSeed: number;
}

/**
 * One gradient step. The gradients are computed first and applied only if
 * the loss is finite, so a diverging run never writes NaN into the weights.
 */
async function trainStep(
  autoencoder: Autoencoder,
  optimizer: tf.Optimizer,
  data: Dataset,
  indices: Int32Array,
  step: StepSettings,
): Promise<{ total: number; terms: Record<string, number> }> {
  const x = data.batch(indices);
  const input = modelInput(data, indices, x, step.noise, step.noiseSeed);
  let terms: Record<string, tf.Scalar> = {};
  const { value, grads } = tf.variableGrads(() => {
    const pass = autoencoder.forward(input, { training: true, seed: step.forwardSeed });
    const loss = autoencoder.loss.compute(pass, x, { epoch: step.epoch, training: true });
    terms = Object.fromEntries(Object.entries(loss.terms).map(([k, t]) => [k, tf.keep(t)]));
    return loss.total;
  }, autoencoder.trainableVariables);
  const names = Object.keys(terms);
  const read = await Promise.all([value, ...names.map((n) => terms[n])].map((t) => t.data()));
  const total = read[0][0];
  if (Number.isFinite(total)) optimizer.applyGradients(grads);
  tf.dispose([x, input, value, ...Object.values(grads), ...Object.values(terms)]);
  return { total, terms: Object.fromEntries(names.map((n, i) => [n, read[i + 1][0]])) };
}

function divide(sums: Record<string, number>, n: number): Record<string, number> {
  return Object.fromEntries(Object.entries(sums).map(([k, v]) => [k, v / n]));
}

function bestByLoss(history: EpochRecord[]): number {
  let best = -1;
  let bestValue = Number.POSITIVE_INFINITY;
  for (const r of history) {
    const v = r.valLoss ?? r.loss;
    if (v < bestValue) {
      bestValue = v;
      best = r.epoch;
    }
  }
  return best;
}

function now(): number {
  return globalThis.performance?.now() ?? Date.now();
}
