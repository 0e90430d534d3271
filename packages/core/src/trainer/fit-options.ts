import { z } from 'zod';
import { tf } from '../tf.js';
import { integerIn, parseConfig, positiveNumber } from '../config.js';
import type { Dataset } from '../dataset.js';
import { noiseSpecSchema, type NoiseSpec } from '../noise.js';
import { registry as defaultRegistry, type FamilyRegistry } from '../registry.js';
import type { EarlyStoppingOptions } from './early-stopping.js';
import type { CheckpointOptions, TrainingCallbacks, TrainingProgress } from './events.js';
import { OPTIMIZER_NAMES } from './optimizer.js';

/** Options of `fit`; every field has a default. */
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
   * same weights. `defaultWorkers` is the policy `ae train` picks it by.
   */
  workers?: number;
  /** The registry the autoencoder's family is in, for worker threads; the shared one by default. */
  registry?: FamilyRegistry;
}

/**
 * The schemas of the training settings that `fit` and `ae train` share:
 * declared once here, so the trainer, `ae train`'s flags and the settings
 * a checkpoint keeps accept the same values.
 */
export const trainingSettingSchemas = {
  /** Passes over the training data. */
  epochs: integerIn({ min: 1 }),
  /** Examples per gradient step. */
  batchSize: integerIn({ min: 1 }),
  /** Seed of shuffling, noise and sampling. */
  seed: integerIn({ min: 0 }),
  /** Learning rate of a named optimizer. */
  learningRate: positiveNumber(),
  /** A built-in optimizer name. */
  optimizer: z.enum(OPTIMIZER_NAMES),
  /** Threads that share each batch. */
  workers: integerIn({ min: 1, max: 64 }),
  /** Stop early after this many epochs without improvement. */
  patience: integerIn({ min: 1 }),
} as const;

/** The defaults of {@link trainingSettingSchemas} where `fit` has one; `ae train` falls back to them after a family's own. */
export const TRAINING_DEFAULTS = { epochs: 10, batchSize: 256, seed: 0, optimizer: 'adam', workers: 1 } as const;

const settings = trainingSettingSchemas;
const optionsSchema = z.object({
  epochs: settings.epochs.default(TRAINING_DEFAULTS.epochs),
  batchSize: settings.batchSize.default(TRAINING_DEFAULTS.batchSize),
  shuffle: z.boolean().default(true),
  seed: settings.seed.default(TRAINING_DEFAULTS.seed),
  learningRate: settings.learningRate.optional(),
  validationSplit: z.number().gt(0).lt(1).optional(),
  noise: noiseSpecSchema.optional(),
  // Not z.instanceof: tfjs' Optimizer[Symbol.hasInstance] dereferences its argument and throws on null.
  optimizer: z
    .union([settings.optimizer, z.custom<tf.Optimizer>((v) => typeof v === 'object' && v !== null && v instanceof tf.Optimizer)])
    .default(TRAINING_DEFAULTS.optimizer),
  earlyStopping: z
    .object({
      monitor: z.enum(['loss', 'valLoss']).optional(),
      patience: settings.patience.default(5),
      minDelta: z.number().finite().nonnegative().default(0),
      restoreBestWeights: z.boolean().default(true),
    })
    .optional(),
  checkpoint: z.object({ everyEpochs: z.number().int().positive() }).passthrough().optional(),
  workers: settings.workers.default(TRAINING_DEFAULTS.workers),
});

/**
 * {@link FitOptions} once checked, with every default filled in: the one
 * settings object the training loop reads.
 * @internal
 */
export type FitSettings = Omit<z.infer<typeof optionsSchema>, 'checkpoint'> & {
  checkpoint?: CheckpointOptions;
  validation?: Dataset;
  callbacks: readonly TrainingCallbacks[];
  signal?: AbortSignal;
  resume?: TrainingProgress;
  resumeBestWeights?: tf.Tensor[];
  registry: FamilyRegistry;
};

/**
 * Checks `options` and fills in their defaults; objects that are not
 * settings (data, listeners, the abort signal, resumed state) pass through
 * unchecked.
 * @throws ConfigError for an invalid option, naming it.
 * @internal
 */
export function resolveFitOptions(options: FitOptions): FitSettings {
  const { validation, callbacks, signal, resume, resumeBestWeights, registry, checkpoint, ...settings } = options;
  const checked = parseConfig(optionsSchema, { ...settings, checkpoint });
  return {
    ...checked,
    checkpoint,
    validation,
    callbacks: callbacks ?? [],
    signal,
    resume,
    resumeBestWeights,
    registry: registry ?? defaultRegistry,
  };
}
