import { availableParallelism } from 'node:os';
import { defaultWorkers, noiseSpecSchema, OPTIMIZER_NAMES, parseConfig, planTraining, registry, z, type ModelFamily, type NoiseSpec, type TrainingPlan } from '@aekit/core';
import { BUILT_IN_DATASET } from '../datasets.js';

/**
 * Everything that decides a run's result, kept in its checkpoint so that
 * `--resume` repeats it exactly. New runs and resumed ones are checked with
 * this one schema, so a damaged or hand-edited checkpoint is refused with
 * the field named rather than trusted.
 */
export const runSettingsSchema = z
  .object({
    family: z.string().min(1),
    config: z.record(z.string(), z.unknown()),
    epochs: z.number().int().positive(),
    /** Optimizer steps asked for with `--steps` (the budget the epochs came from). */
    steps: z.number().int().positive().optional(),
    batchSize: z.number().int().positive(),
    seed: z.number().int().nonnegative(),
    workers: z.number().int().positive().optional(),
    noise: noiseSpecSchema.optional(),
    optimizer: z.enum(OPTIMIZER_NAMES).optional(),
    learningRate: z.number().finite().positive().optional(),
    validationSplit: z.number().min(0).lt(1),
    patience: z.number().int().positive().optional(),
    /** False when early stopping is off; on otherwise (whenever there is validation data). */
    earlyStopping: z.boolean().optional(),
    dataset: z.string().min(1),
    data: z.string().optional(),
    imageSize: z.string().regex(/^\d+x\d+$/).optional(),
    channels: z.union([z.literal(1), z.literal(3)]).optional(),
    label: z.string().min(1).optional(),
    skipBad: z.boolean().optional(),
    limit: z.number().int().positive().optional(),
    testLimit: z.number().int().positive().optional(),
    codePoints: z.number().int().positive(),
  })
  .strict();

/** The settings of a run; see {@link runSettingsSchema}. */
export type RunSettings = z.infer<typeof runSettingsSchema>;

/** The options of `ae train` that become run settings. */
export interface SettingsOptions {
  /** Passes over the training data; by default as many as the family's step budget takes on the data (see `planTraining`). */
  epochs?: number;
  /** Optimizer steps to train for, instead of the family's budget; ignored with `epochs`. */
  steps?: number;
  /** Examples per step; the family's, smaller for small data. */
  batchSize?: number;
  /** Size of the code (the family's `latentDim` setting). */
  latentDim?: number;
  /** Step size of the optimizer. */
  learningRate?: number;
  /** A built-in optimizer name; `adam` by default. */
  optimizer?: string;
  /** Train as a denoiser with this corruption, or `none` to turn off the family's default noise. */
  noise?: NoiseSpec | 'none';
  /** Seed of initialisation, shuffling and noise; 0 by default. */
  seed?: number;
  /** Threads that share each batch's gradients; by default the family's `training.workers`, else one per core with at least 32 examples each. */
  workers?: number;
  /** Use only the first N training examples. */
  limit?: number;
  /** Use only the first N test examples. */
  testLimit?: number;
  /** Share of the training data held out for validation; 0.1 by default. */
  validationSplit?: number;
  /** Stop after N epochs without improvement of the validation loss; a tenth of the epochs (at least 10) by default. */
  patience?: number;
  /** False to train every epoch and keep the last weights (commander's `--no-early-stopping`). */
  earlyStopping?: boolean;
  /** Family settings. */
  config?: Record<string, unknown>;
  /** A dataset by name: `mnist` or one a plugin provides. */
  dataset?: string;
  /** A folder of idx files or of images, or a table file. */
  data?: string;
  /** `WIDTHxHEIGHT` to resize a folder of images to. */
  imageSize?: string;
  /** 1 (grey) or 3 (colour) for a folder of images. */
  channels?: number;
  /** For a table: the column kept out of training as each row's label. */
  label?: string;
  /** Skip and count unreadable files or bad table rows instead of stopping at the first. */
  skipBad?: boolean;
  /** Test examples in the code-space picture; 2,000 by default. */
  codePoints?: number;
}

/** The worker-count policy of `ae train`, now in core beside the trainer's `workers`; re-exported here for compatibility. */
export { defaultWorkers };

/** The settings that say which data a run reads, known before the data is: {@link newRunSettings} needs its size. */
export type DataSettings = Pick<RunSettings, 'dataset' | 'data' | 'imageSize' | 'channels' | 'label' | 'skipBad' | 'limit' | 'testLimit' | 'seed'>;

/**
 * The data settings of a new run: the options given, else the family's
 * dataset, else MNIST.
 *
 * @param family - The family to train.
 * @param options - The command-line options.
 * @throws ConfigError naming the field for a value the schema refuses.
 */
export function newDataSettings(family: ModelFamily, options: SettingsOptions): DataSettings {
  const schema = runSettingsSchema.pick({ dataset: true, data: true, imageSize: true, channels: true, label: true, skipBad: true, limit: true, testLimit: true, seed: true });
  return parseConfig(schema, definedOnly(dataFields(family, options)));
}

function dataFields(family: ModelFamily, options: SettingsOptions): Record<string, unknown> {
  return {
    seed: options.seed ?? 0,
    dataset: options.dataset ?? family.training?.dataset ?? BUILT_IN_DATASET,
    data: options.data,
    imageSize: options.imageSize?.trim().toLowerCase(),
    channels: options.channels,
    label: options.label,
    skipBad: options.skipBad || undefined,
    limit: options.limit,
    testLimit: options.testLimit,
  };
}

/**
 * The settings of a new run: the options given, else what the data and the
 * family call for. Epochs, batch size and patience come from
 * {@link planTraining}: the family's step budget on `examples` training
 * examples, with early stopping, unless the options say otherwise.
 *
 * @param family - The family to train.
 * @param options - The command-line options.
 * @param examples - Training examples read (before the validation share is held out).
 * @returns The settings, and the plan they came from (for the log and `metrics.json`).
 * @throws ConfigError naming the field for a value the schema refuses.
 */
export function newRunSettings(family: ModelFamily, options: SettingsOptions, examples: number): { settings: RunSettings; plan: TrainingPlan } {
  const validationSplit = options.validationSplit ?? 0.1;
  const plan = planTraining({
    examples,
    validationSplit,
    defaults: family.training,
    epochs: options.epochs,
    steps: options.steps,
    batchSize: options.batchSize,
    patience: options.patience,
    earlyStopping: options.earlyStopping,
  });
  const settings = parseRunSettings({
    ...dataFields(family, options),
    family: family.name,
    config: { ...options.config, ...(options.latentDim !== undefined ? { latentDim: options.latentDim } : {}) },
    epochs: plan.epochs,
    steps: options.epochs === undefined ? options.steps : undefined,
    batchSize: plan.batchSize,
    // os.availableParallelism() explicitly: core's default needs process.getBuiltinModule, which Node 20 before 20.16 lacks.
    workers: options.workers ?? defaultWorkers(family, plan.batchSize, registry, availableParallelism()),
    noise: options.noise === 'none' ? undefined : (options.noise ?? family.training?.noise),
    optimizer: options.optimizer,
    learningRate: options.learningRate ?? family.training?.learningRate,
    validationSplit,
    patience: plan.patience,
    earlyStopping: options.earlyStopping === false ? false : undefined,
    codePoints: options.codePoints ?? 2000,
  });
  return { settings, plan };
}

/**
 * Checks settings (new, or read back from a checkpoint) against
 * {@link runSettingsSchema}; fields left undefined are dropped.
 *
 * @param value - The settings to check.
 * @param field - Prefix of the field named in errors, e.g. `resume` for a checkpoint.
 */
export function parseRunSettings(value: unknown, field?: string): RunSettings {
  return parseConfig(runSettingsSchema, definedOnly(value), field);
}

function definedOnly(value: unknown): unknown {
  return value && typeof value === 'object' ? Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) : value;
}
