import { tf } from '../tf.js';
import type { Autoencoder } from '../autoencoder.js';
import { range, splitIndices, type Dataset } from '../dataset.js';
import { DivergenceError, NonFiniteLossError } from '../errors.js';
import type { NoiseSpec } from '../noise.js';
import { deriveSeed, shuffledIndices } from '../random.js';
import { DivergenceGuard, learningRateOf } from './divergence-guard.js';
import { EarlyStopping } from './early-stopping.js';
import { evaluate, modelInput } from './evaluate.js';
import type { CheckpointState, EpochRecord, StopReason, TrainingCallbacks, TrainingProgress, TrainingResult } from './events.js';
import type { FitSettings } from './fit-options.js';
import { batchGradients, disposeGradients, gradientMap, type BatchGradients, type GradientSettings } from './gradients.js';
import { createOptimizer } from './optimizer.js';
import type { ParallelGradients } from './parallel-gradients.js';

/**
 * One call of `fit`: the state of a training run (progress, early
 * stopping, the best weights so far, why it stopped) and its steps, each a
 * method: the batches of an epoch (which stop on abort), closing an epoch
 * (validation, history), early stopping, checkpoints, and restoring the
 * best weights at the end.
 * @internal
 */
export class TrainingRun {
  private readonly train: Dataset;
  private readonly validation: Dataset | undefined;
  private readonly optimizer: tf.Optimizer;
  private readonly batchesPerEpoch: number;
  private readonly progress: TrainingProgress;
  private readonly stopper: EarlyStopping | undefined;
  private readonly guard: DivergenceGuard | undefined;
  private bestWeights: tf.Tensor[] | undefined;
  private stopReason: StopReason = 'completed';
  private restoredBestWeights = false;
  private trainingSeconds = 0;
  private sessionSteps = 0;

  constructor(
    private readonly autoencoder: Autoencoder,
    data: Dataset,
    private readonly settings: FitSettings,
    private readonly workers: ParallelGradients | undefined,
  ) {
    ({ train: this.train, validation: this.validation } = trainAndValidation(data, settings));
    this.optimizer = typeof settings.optimizer === 'string' ? createOptimizer(settings.optimizer, settings.learningRate) : settings.optimizer;
    this.batchesPerEpoch = Math.ceil(this.train.size / settings.batchSize);
    this.progress = settings.resume ? structuredClone(settings.resume) : { epoch: 0, batch: 0, history: [], partial: emptyPartial() };
    const early = settings.earlyStopping;
    this.stopper = early
      ? new EarlyStopping(early.monitor ?? (this.validation ? 'valLoss' : 'loss'), early.patience, early.minDelta, this.progress.earlyStopping)
      : undefined;
    this.bestWeights = settings.resumeBestWeights?.map((w) => tf.clone(w));
    this.guard = settings.divergence ? new DivergenceGuard(settings.divergence, this.batchesPerEpoch, this.progress.history[0]?.loss) : undefined;
  }

  /** Trains epoch after epoch until the last, an abort or early stopping. */
  async run(): Promise<TrainingResult> {
    await this.emit('onTrainBegin', {
      epochs: this.settings.epochs,
      initialEpoch: this.progress.epoch,
      batchesPerEpoch: this.batchesPerEpoch,
      trainingSamples: this.train.size,
      validationSamples: this.validation?.size ?? 0,
    });
    while (this.progress.epoch < this.settings.epochs && this.stopReason === 'completed') await this.runEpoch();
    this.restoreBestWeights();
    if (typeof this.settings.optimizer === 'string') this.optimizer.dispose();
    // Over every session of the run: a resumed run adds the time and samples of the sessions before it.
    const { history, partial } = this.progress;
    const seconds = history.reduce((sum, r) => sum + r.seconds, 0) + partial.seconds;
    const samples = history.length * this.train.size + partial.seen;
    const result: TrainingResult = {
      history,
      stopReason: this.stopReason,
      seconds,
      samplesPerSecond: seconds > 0 ? samples / seconds : 0,
      sessionSeconds: this.trainingSeconds,
      bestEpoch: this.stopper?.bestEpoch ?? bestByLoss(this.progress.history),
      restoredBestWeights: this.restoredBestWeights,
    };
    await this.emit('onTrainEnd', result);
    return result;
  }

  /** One epoch (or what is left of a resumed one), then its checkpoint. */
  private async runEpoch(): Promise<void> {
    const epoch = this.progress.epoch;
    if (this.progress.batch === 0) await this.emit('onEpochBegin', epoch);
    await this.trainBatches(epoch);
    if (this.stopReason === 'aborted') {
      // Mid-epoch: the checkpoint keeps the partial epoch to resume from.
      await this.saveCheckpoint('aborted');
      return;
    }
    const record = await this.closeEpoch(epoch);
    this.watchEarlyStopping(record);
    if (this.settings.signal?.aborted && this.progress.epoch < this.settings.epochs) this.stopReason = 'aborted';
    await this.checkpointAfterEpoch();
  }

  /** The epoch's remaining batches, stopping after the current one when aborted. */
  private async trainBatches(epoch: number): Promise<void> {
    const { batchSize, seed, shuffle, noise, signal } = this.settings;
    const epochSeed = deriveSeed(seed, epoch);
    // Data read from disk gives its own order, shuffled chunk by chunk, so that an epoch reads each chunk about once.
    const order = shuffle ? (this.train.epochOrder?.(epochSeed) ?? shuffledIndices(this.train.size, epochSeed)) : range(0, this.train.size);
    const partial = this.progress.partial;
    const started = now();
    for (let b = this.progress.batch; b < this.batchesPerEpoch; b++) {
      // The weights this step starts from, when the guard asks (not every step: it costs a pass over them).
      const rms = this.guard?.wantsWeights(this.sessionSteps++) ? DivergenceGuard.weightRms(this.autoencoder.model) : undefined;
      const indices = order.subarray(b * batchSize, Math.min((b + 1) * batchSize, this.train.size));
      const values = await trainStep(this.autoencoder, this.optimizer, this.train, indices, {
        epoch,
        noise,
        noiseSeed: deriveSeed(seed, epoch, b),
        forwardSeed: deriveSeed(seed, epoch, b, 1),
        workers: this.workers,
      });
      if (!Number.isFinite(values.total)) throw new NonFiniteLossError(epoch, b, values.total);
      const sign = this.guard?.observe({ rms, loss: values.total });
      if (sign) throw new DivergenceError(epoch, b, sign, learningRateOf(this.optimizer));
      partial.lossSum += values.total * indices.length;
      for (const [name, v] of Object.entries(values.terms)) partial.termSums[name] = (partial.termSums[name] ?? 0) + v * indices.length;
      partial.seen += indices.length;
      this.progress.batch = b + 1;
      await this.emit('onBatchEnd', { epoch, batch: b, batchesPerEpoch: this.batchesPerEpoch, loss: values.total, epochLoss: partial.lossSum / partial.seen });
      if (signal?.aborted && this.progress.batch < this.batchesPerEpoch) {
        this.stopReason = 'aborted';
        break;
      }
    }
    const seconds = (now() - started) / 1000;
    partial.seconds += seconds;
    this.trainingSeconds += seconds;
  }

  /** The finished epoch's record (with the validation loss), added to the history. */
  private async closeEpoch(epoch: number): Promise<EpochRecord> {
    const { partial } = this.progress;
    const record: EpochRecord = { epoch, loss: partial.lossSum / partial.seen, terms: divide(partial.termSums, partial.seen), seconds: partial.seconds };
    if (this.validation) {
      const { batchSize, noise, seed } = this.settings;
      const v = await evaluate(this.autoencoder, this.validation, { batchSize, noise, seed, epoch });
      record.valLoss = v.loss;
      record.valTerms = v.terms;
    }
    this.progress.history.push(record);
    this.progress.epoch = epoch + 1;
    this.progress.batch = 0;
    this.progress.partial = emptyPartial();
    await this.emit('onEpochEnd', record);
    return record;
  }

  /** Early stopping's verdict on the epoch: keeps the best weights so far, and stops when patience runs out. */
  private watchEarlyStopping(record: EpochRecord): void {
    if (!this.stopper) return;
    const { improved, stop } = this.stopper.update(record);
    if (improved && this.settings.earlyStopping?.restoreBestWeights) {
      tf.dispose(this.bestWeights);
      this.bestWeights = this.autoencoder.model.getWeights().map((w) => tf.clone(w));
    }
    if (stop) this.stopReason = 'early-stopping';
  }

  /** A checkpoint after the last epoch, on abort, and every `everyEpochs`. */
  private async checkpointAfterEpoch(): Promise<void> {
    const last = this.progress.epoch === this.settings.epochs || this.stopReason !== 'completed';
    if (last) await this.saveCheckpoint(this.stopReason === 'aborted' ? 'aborted' : 'end');
    else if (this.settings.checkpoint && this.progress.epoch % this.settings.checkpoint.everyEpochs === 0) await this.saveCheckpoint('interval');
  }

  private async saveCheckpoint(reason: CheckpointState['reason']): Promise<void> {
    if (!this.settings.checkpoint) return;
    this.refuseDivergedWeights();
    if (this.stopper) this.progress.earlyStopping = this.stopper.state();
    const { progress, autoencoder, optimizer, bestWeights } = this;
    await this.settings.checkpoint.save({ progress, autoencoder, optimizer, bestWeights, reason });
  }

  /** A checkpoint never keeps diverged weights: the last step's update is judged before it is saved. */
  private refuseDivergedWeights(): void {
    if (!this.guard) return;
    const sign = this.guard.observe({ rms: DivergenceGuard.weightRms(this.autoencoder.model) });
    if (!sign) return;
    const { epoch, batch } = this.progress;
    // After a whole epoch the position is the start of the next; name the last batch run.
    const last = batch === 0 ? { epoch: epoch - 1, batch: this.batchesPerEpoch - 1 } : { epoch, batch: batch - 1 };
    throw new DivergenceError(last.epoch, last.batch, sign, learningRateOf(this.optimizer));
  }

  /**
   * At the end of a run that early stopping watched, the weights of the best
   * epoch (when asked to restore them), whether patience ran out or the
   * epochs did, as Keras 3 does: the last epoch is seldom the best on the
   * validation data. Not after an abort, which resumes from the last
   * weights. Frees the kept copy.
   */
  private restoreBestWeights(): void {
    const bestIsNotLast = this.stopper !== undefined && this.stopper.bestEpoch !== this.progress.history.at(-1)?.epoch;
    if (this.stopReason !== 'aborted' && this.bestWeights && bestIsNotLast) {
      this.autoencoder.model.setWeights(this.bestWeights);
      this.restoredBestWeights = true;
    }
    tf.dispose(this.bestWeights);
  }

  private async emit<K extends keyof TrainingCallbacks>(event: K, arg: Parameters<NonNullable<TrainingCallbacks[K]>>[0]): Promise<void> {
    for (const callback of this.settings.callbacks) await (callback[event] as ((a: typeof arg) => unknown) | undefined)?.call(callback, arg);
  }
}

/** The training data and the validation data: given, or split off the training data by `validationSplit`. */
function trainAndValidation(data: Dataset, settings: FitSettings): { train: Dataset; validation: Dataset | undefined } {
  if (settings.validation || settings.validationSplit === undefined) return { train: data, validation: settings.validation };
  const { train, validation } = validationSplitIndices(data.size, settings.validationSplit, settings.seed);
  return { train: data.subset(train), validation: data.subset(validation) };
}

/**
 * Which examples `fit` trains on and which it validates on, for
 * `validationSplit` and `seed`: so that baselines can be fitted to exactly
 * the examples a model trained on.
 *
 * @example
 * ```ts
 * import { fitBaselines, validationSplitIndices, type Dataset } from '@aekit/core';
 *
 * declare const data: Dataset; // 1000 examples given to fit(ae, data, { validationSplit: 0.1, seed: 0 })
 * const { train, validation } = validationSplitIndices(data.size, 0.1, 0); // 900 and 100 indices
 * const baselines = await fitBaselines(data.subset(train), { components: 8 }); // fitted to what the model trained on
 * ```
 * @param size - Number of examples given to `fit`.
 * @param validationSplit - `fit`'s `validationSplit`, in (0, 1).
 * @param seed - `fit`'s `seed`.
 */
export function validationSplitIndices(size: number, validationSplit: number, seed: number): { train: Int32Array; validation: Int32Array } {
  return splitIndices(size, validationSplit, deriveSeed(seed, -2));
}

interface StepSettings {
  epoch: number;
  noise?: NoiseSpec;
  noiseSeed: number;
  forwardSeed: number;
  workers?: ParallelGradients;
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
