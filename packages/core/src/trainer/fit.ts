import { z } from 'zod';
import { tf } from '../tf.js';
import type { Autoencoder } from '../autoencoder.js';
import { parseConfig } from '../config.js';
import { range, splitDataset, type Dataset } from '../dataset.js';
import { ConfigError, NonFiniteLossError } from '../errors.js';
import { noiseSpecSchema, type NoiseSpec } from '../noise.js';
import { deriveSeed, shuffledIndices } from '../random.js';
import { EarlyStopping, type EarlyStoppingOptions } from './early-stopping.js';
import { evaluate, modelInput } from './evaluate.js';
import type {
  CheckpointOptions,
  CheckpointState,
  EpochRecord,
  StopReason,
  TrainingCallbacks,
  TrainingProgress,
  TrainingResult,
} from './events.js';
import { createOptimizer, OPTIMIZER_NAMES } from './optimizer.js';
import { batchGradients, disposeGradients, gradientMap, type BatchGradients, type GradientSettings } from './gradients.js';
import { registry as defaultRegistry, type FamilyRegistry } from '../registry.js';
import type { GradientWorkers } from './parallel/gradient-workers.js';

/** Options of {@link fit}; every field has a default. */
export interface FitOptions {
  /** Passes over the training data; 10 by default. */
  epochs?: number;
  /** Examples per gradient step; 256 by default. */
  batchSize?: number;
  /** Shuffle the examples each epoch (seeded); true by default. */
  shuffle?: boolean;
  /** Seed of shuffling, noise and sampling; 0 by default. Same seed, same weights on the same backend with the same `workers`. */
  seed?: number;
  /** A built-in optimizer name (`adam` by default) or a tfjs optimizer (for instance one restored from a checkpoint). */
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
  /** Stops training after the current batch when aborted (and writes a checkpoint). */
  signal?: AbortSignal;
  /** Continue a run from a checkpoint's progress (weights and optimizer restored by the caller). */
  resume?: TrainingProgress;
  /** Early stopping's best weights from the checkpoint, when resuming. */
  resumeBestWeights?: tf.Tensor[];
  /**
   * Threads that compute each batch's gradients together (Node only), 1 by
   * default. With 2 on a 2-core machine a batch is split in halves computed
   * at once; see `GradientWorkers`. The family must come from a plugin that
   * sets `module`. The same seed and the same number of workers give the
   * same weights.
   */
  workers?: number;
  /** The registry the autoencoder's family is in, for worker threads; the shared one by default. */
  registry?: FamilyRegistry;
}

const optionsSchema = z.object({
  epochs: z.number().int().positive().default(10),
  batchSize: z.number().int().positive().default(256),
  shuffle: z.boolean().default(true),
  seed: z.number().int().default(0),
  learningRate: z.number().finite().positive().optional(),
  validationSplit: z.number().gt(0).lt(1).optional(),
  noise: noiseSpecSchema.optional(),
  // Not z.instanceof: tfjs' Optimizer[Symbol.hasInstance] dereferences its argument and throws on null.
  optimizer: z
    .union([z.enum(OPTIMIZER_NAMES), z.custom<tf.Optimizer>((v) => typeof v === 'object' && v !== null && v instanceof tf.Optimizer)])
    .default('adam'),
  earlyStopping: z
    .object({
      monitor: z.enum(['loss', 'valLoss']).optional(),
      patience: z.number().int().positive().default(5),
      minDelta: z.number().finite().nonnegative().default(0),
      restoreBestWeights: z.boolean().default(true),
    })
    .optional(),
  checkpoint: z.object({ everyEpochs: z.number().int().positive() }).passthrough().optional(),
  workers: z.number().int().min(1).max(64).default(1),
});

/**
 * Trains an autoencoder with aekit's own loop (not `model.fit`), so that any
 * composition of loss terms trains: for each batch it runs the family's
 * forward pass, sums the loss terms, checks that the loss is finite and only
 * then applies the gradients.
 *
 * @param autoencoder - The model to train (its weights are updated in place).
 * @param data - Training data in the model's input shape.
 * @param options - Epochs, batch size, seed, optimizer, validation, noise, callbacks, checkpoints, worker threads.
 * @returns The per-epoch history, throughput and why training stopped.
 * @throws ConfigError for an invalid option, naming it.
 * @throws NonFiniteLossError when the loss becomes NaN or infinite; the
 *   weights are those after the last finite step.
 */
export async function fit(autoencoder: Autoencoder, data: Dataset, options: FitOptions = {}): Promise<TrainingResult> {
  const opts = parseConfig(optionsSchema, {
    ...options,
    validation: undefined,
    callbacks: undefined,
    signal: undefined,
    resume: undefined,
    resumeBestWeights: undefined,
    registry: undefined,
  });
  const workers = opts.workers > 1 ? await startWorkers(autoencoder, opts.workers, options.registry ?? defaultRegistry) : undefined;
  try {
    return await runTraining(autoencoder, data, options, opts, workers);
  } finally {
    await workers?.close();
  }
}

/** Starts the gradient workers; the module is loaded only when asked for, as it needs Node. */
async function startWorkers(autoencoder: Autoencoder, count: number, registry: FamilyRegistry): Promise<GradientWorkers> {
  if (typeof process === 'undefined' || !process.versions?.node) {
    throw new ConfigError('workers', 'worker threads need Node.js; use workers: 1 here');
  }
  const { GradientWorkers } = await import('./parallel/gradient-workers.js');
  return GradientWorkers.start(autoencoder, count, registry);
}

/** The training loop proper, once options are checked and any workers started. */
async function runTraining(
  autoencoder: Autoencoder,
  data: Dataset,
  options: FitOptions,
  opts: z.infer<typeof optionsSchema>,
  workers: GradientWorkers | undefined,
): Promise<TrainingResult> {
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
  const progress: TrainingProgress = options.resume
    ? structuredClone(options.resume)
    : { epoch: 0, batch: 0, history: [], partial: emptyPartial() };
  const stopper = opts.earlyStopping
    ? new EarlyStopping(
        opts.earlyStopping.monitor ?? (validation ? 'valLoss' : 'loss'),
        opts.earlyStopping.patience,
        opts.earlyStopping.minDelta,
        progress.earlyStopping,
      )
    : undefined;
  let bestWeights = options.resumeBestWeights?.map((w) => tf.clone(w));
  let stopReason: StopReason = 'completed';
  let trainingSeconds = 0;
  let samplesSeen = 0;
  const checkpoint = async (reason: CheckpointState['reason']) => {
    if (!options.checkpoint) return;
    if (stopper) progress.earlyStopping = stopper.state();
    await options.checkpoint.save({ progress, autoencoder, optimizer, bestWeights, reason });
  };

  await emit('onTrainBegin', {
    epochs: opts.epochs,
    initialEpoch: progress.epoch,
    batchesPerEpoch,
    trainingSamples: train.size,
    validationSamples: validation?.size ?? 0,
  });

  while (progress.epoch < opts.epochs && stopReason === 'completed') {
    const epoch = progress.epoch;
    if (progress.batch === 0) await emit('onEpochBegin', epoch);
    const seed = deriveSeed(opts.seed, epoch);
    const order = opts.shuffle ? (train.epochOrder?.(seed) ?? shuffledIndices(train.size, seed)) : range(0, train.size);
    const partial = progress.partial;
    const started = now();
    for (let b = progress.batch; b < batchesPerEpoch; b++) {
      const indices = order.subarray(b * opts.batchSize, Math.min((b + 1) * opts.batchSize, train.size));
      const values = await trainStep(autoencoder, optimizer, train, indices, {
        epoch,
        noise: opts.noise,
        noiseSeed: deriveSeed(opts.seed, epoch, b),
        forwardSeed: deriveSeed(opts.seed, epoch, b, 1),
        workers,
      });
      if (!Number.isFinite(values.total)) throw new NonFiniteLossError(epoch, b, values.total);
      partial.lossSum += values.total * indices.length;
      for (const [name, v] of Object.entries(values.terms)) partial.termSums[name] = (partial.termSums[name] ?? 0) + v * indices.length;
      partial.seen += indices.length;
      samplesSeen += indices.length;
      progress.batch = b + 1;
      await emit('onBatchEnd', { epoch, batch: b, batchesPerEpoch, loss: values.total, epochLoss: partial.lossSum / partial.seen });
      if (options.signal?.aborted && progress.batch < batchesPerEpoch) {
        stopReason = 'aborted';
        break;
      }
    }
    const seconds = (now() - started) / 1000;
    partial.seconds += seconds;
    trainingSeconds += seconds;
    if (stopReason === 'aborted') {
      await checkpoint('aborted');
      break;
    }

    const record: EpochRecord = { epoch, loss: partial.lossSum / partial.seen, terms: divide(partial.termSums, partial.seen), seconds: partial.seconds };
    if (validation) {
      const v = await evaluate(autoencoder, validation, { batchSize: opts.batchSize, noise: opts.noise, seed: opts.seed, epoch });
      record.valLoss = v.loss;
      record.valTerms = v.terms;
    }
    progress.history.push(record);
    progress.epoch = epoch + 1;
    progress.batch = 0;
    progress.partial = emptyPartial();
    await emit('onEpochEnd', record);

    if (stopper) {
      const { improved, stop } = stopper.update(record);
      if (improved && opts.earlyStopping?.restoreBestWeights) {
        tf.dispose(bestWeights);
        bestWeights = autoencoder.model.getWeights().map((w) => tf.clone(w));
      }
      if (stop) stopReason = 'early-stopping';
    }
    if (options.signal?.aborted && progress.epoch < opts.epochs) stopReason = 'aborted';
    const last = progress.epoch === opts.epochs || stopReason !== 'completed';
    if (last) await checkpoint(stopReason === 'aborted' ? 'aborted' : 'end');
    else if (options.checkpoint && progress.epoch % opts.checkpoint!.everyEpochs === 0) await checkpoint('interval');
  }

  if (stopReason === 'early-stopping' && bestWeights) autoencoder.model.setWeights(bestWeights);
  tf.dispose(bestWeights);
  if (typeof opts.optimizer === 'string') optimizer.dispose();

  const result: TrainingResult = {
    history: progress.history,
    stopReason,
    seconds: trainingSeconds,
    samplesPerSecond: trainingSeconds > 0 ? samplesSeen / trainingSeconds : 0,
    bestEpoch: stopper?.bestEpoch ?? bestByLoss(progress.history),
  };
  await emit('onTrainEnd', result);
  return result;
}

interface StepSettings {
  epoch: number;
  noise?: NoiseSpec;
  noiseSeed: number;
  forwardSeed: number;
  workers?: GradientWorkers;
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
  const settings: GradientSettings = { epoch: step.epoch, forwardSeed: step.forwardSeed, lengths: data.lengths?.(indices) };
  let result: BatchGradients;
  try {
    result = step.workers
      ? await step.workers.batchGradients(autoencoder, input, x, settings)
      : batchGradients(autoencoder, input, x, settings);
  } finally {
    tf.dispose([x, input]);
  }
  const names = Object.keys(result.terms);
  const read = await Promise.all([result.total, ...names.map((n) => result.terms[n]!)].map((t) => t.data()));
  const total = read[0]![0]!;
  if (Number.isFinite(total)) optimizer.applyGradients(gradientMap(autoencoder, result.grads));
  disposeGradients(result);
  return { total, terms: Object.fromEntries(names.map((n, i) => [n, read[i + 1]![0]!])) };
}

function emptyPartial(): TrainingProgress['partial'] {
  return { lossSum: 0, termSums: {}, seen: 0, seconds: 0 };
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
