import type { tf } from '../tf.js';
import type { Autoencoder } from '../autoencoder.js';

/** Told once before the first batch. */
export interface TrainBeginInfo {
  epochs: number;
  /** Epoch the run starts at (non-zero when resuming). */
  initialEpoch: number;
  batchesPerEpoch: number;
  trainingSamples: number;
  validationSamples: number;
}

/** Told after every batch. */
export interface BatchEndInfo {
  epoch: number;
  batch: number;
  batchesPerEpoch: number;
  /** Total loss of this batch. */
  loss: number;
  /** Running mean of the total loss over the epoch so far. */
  epochLoss: number;
}

/** One line of the training history: the losses of an epoch. */
export interface EpochRecord {
  /** Zero-based epoch (the `ae` CLI prints and writes epochs counted from 1). */
  epoch: number;
  /** Mean total training loss over the epoch's batches. */
  loss: number;
  /** Mean of each loss term over the epoch. */
  terms: Record<string, number>;
  /** Validation loss at the end of the epoch, if there is validation data. */
  valLoss?: number;
  /** Validation value of each term. */
  valTerms?: Record<string, number>;
  /** Wall-clock seconds of the epoch's training batches. */
  seconds: number;
}

/** Why training ended. */
export type StopReason = 'completed' | 'early-stopping' | 'aborted';

/** What {@link fit} returns. */
export interface TrainingResult {
  history: EpochRecord[];
  stopReason: StopReason;
  /**
   * Seconds spent in training batches (validation excluded) over every
   * session of the run: a run resumed from a checkpoint counts the time of
   * the sessions before it, as recorded in the checkpoint.
   */
  seconds: number;
  /** Training samples processed per second of training, over every session. */
  samplesPerSecond: number;
  /** Seconds of training batches in this call of `fit` alone (0 when a finished run is resumed). */
  sessionSeconds: number;
  /** Epoch with the lowest monitored loss, zero-based as {@link EpochRecord.epoch}; -1 when no epoch ran. */
  bestEpoch: number;
  /**
   * Whether the weights at the end are those of {@link bestEpoch}, put back
   * by early stopping, rather than those of the last epoch (false when the
   * last epoch was the best, or nothing was restored).
   */
  restoredBestWeights: boolean;
}

/**
 * Listeners for training events, in the manner of Keras callbacks. A
 * progress display, a logger or a test implements the ones it needs.
 */
export interface TrainingCallbacks {
  /**
   * Called once before the first batch.
   *
   * @param info - What is about to be trained: sizes, epochs and batches.
   */
  onTrainBegin?(info: TrainBeginInfo): void | Promise<void>;
  /**
   * Called when an epoch starts.
   *
   * @param epoch - The epoch, counted from 0.
   */
  onEpochBegin?(epoch: number): void | Promise<void>;
  /**
   * Called after every training batch.
   *
   * @param info - The batch's epoch, index and loss.
   */
  onBatchEnd?(info: BatchEndInfo): void | Promise<void>;
  /**
   * Called after every epoch, with its losses.
   *
   * @param record - The epoch's training and validation losses.
   */
  onEpochEnd?(record: EpochRecord): void | Promise<void>;
  /**
   * Called once when training stops, for any reason.
   *
   * @param result - The history, the reason training stopped and its speed.
   */
  onTrainEnd?(result: TrainingResult): void | Promise<void>;
}

/**
 * Where a run is: enough, with the weights and the optimizer's state, to
 * continue it and reach exactly the weights of an uninterrupted run.
 * Shuffling, noise and sampling seeds derive from (seed, epoch, batch), so
 * no random generator state needs saving.
 */
export interface TrainingProgress {
  /** Epoch in progress (or the next one, when `batch` is 0). */
  epoch: number;
  /** Next batch to run within `epoch`. */
  batch: number;
  /** Records of the completed epochs. */
  history: EpochRecord[];
  /** Sums over the batches of `epoch` already run. */
  partial: { lossSum: number; termSums: Record<string, number>; seen: number; seconds: number };
  /** Early-stopping state, when early stopping is on. */
  earlyStopping?: { best: number; wait: number; bestEpoch: number };
}

/** What the trainer hands a checkpoint writer. */
export interface CheckpointState {
  progress: TrainingProgress;
  autoencoder: Autoencoder;
  optimizer: tf.Optimizer;
  /** Weights of the best epoch so far, kept for early stopping's restore. */
  bestWeights?: tf.Tensor[];
  /** Why this checkpoint is written. */
  reason: 'interval' | 'end' | 'aborted';
}

/** When and how the trainer saves checkpoints. */
export interface CheckpointOptions {
  /** Save after every this many epochs (and always after the last, and when aborted). */
  everyEpochs: number;
  /**
   * Writes the checkpoint; for files see `fileCheckpoint` in `@aekit/core/node`.
   *
   * @param state - Weights, optimizer state and training progress to write.
   */
  save(state: CheckpointState): Promise<void>;
}
