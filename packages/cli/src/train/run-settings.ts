import { availableParallelism } from 'node:os';
import { ConfigError, defaultWorkers, IMPUTE_STRATEGIES, noiseSpecSchema, OPTIMIZER_NAMES, parseConfig, registry, SERIES_DETRENDS, z, type ImputeStrategy, type ModelFamily, type NoiseSpec } from '@aekit/core';
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
    batchSize: z.number().int().positive(),
    seed: z.number().int().nonnegative(),
    workers: z.number().int().positive().optional(),
    noise: noiseSpecSchema.optional(),
    optimizer: z.enum(OPTIMIZER_NAMES).optional(),
    learningRate: z.number().finite().positive().optional(),
    validationSplit: z.number().min(0).lt(1),
    patience: z.number().int().positive().optional(),
    dataset: z.string().min(1),
    data: z.string().optional(),
    imageSize: z.string().regex(/^\d+x\d+$/).optional(),
    channels: z.union([z.literal(1), z.literal(3)]).optional(),
    label: z.string().min(1).optional(),
    skipBad: z.boolean().optional(),
    columns: z.array(z.string().min(1)).min(1).optional(),
    drop: z.array(z.string().min(1)).min(1).optional(),
    impute: z.enum(IMPUTE_STRATEGIES).optional(),
    delimiter: z.string().length(1).optional(),
    trainWhere: z.object({ column: z.string().min(1), value: z.string(), not: z.boolean().optional() }).strict().optional(),
    testSplit: z.number().gt(0).lt(1).optional(),
    splitSeed: z.number().int().nonnegative().optional(),
    cacheDir: z.string().min(1).optional(),
    limit: z.number().int().positive().optional(),
    testLimit: z.number().int().positive().optional(),
    codePoints: z.number().int().positive(),
    // A series file (--data read as a time series): its columns, windows and split.
    timeColumn: z.string().min(1).optional(),
    valueColumns: z.array(z.string().min(1)).min(1).optional(),
    window: z.number().int().min(2).optional(),
    stride: z.number().int().positive().optional(),
    difference: z.number().int().nonnegative().optional(),
    detrend: z.enum(SERIES_DETRENDS).optional(),
    percentile: z.number().gt(0).max(100).optional(),
  })
  .strict();

/** The settings of a run; see {@link runSettingsSchema}. */
export type RunSettings = z.infer<typeof runSettingsSchema>;

/** The options of `ae train` that become run settings. */
export interface SettingsOptions {
  /** Passes over the training data; the family's default, else 10. */
  epochs?: number;
  /** Examples per step; the family's default, else 256. */
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
  /** Stop early after N epochs without improvement. */
  patience?: number;
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
  /** For a table: keep only these columns as features. */
  columns?: string[];
  /** For a table: leave these columns out. */
  drop?: string[];
  /** For a table: fill empty cells with the training rows' mean, median or most frequent value. */
  impute?: ImputeStrategy;
  /** For a table: the field delimiter (detected unless given). */
  delimiter?: string;
  /** For a table: train on the rows where a column holds a value, `column=value`, or any other, `column!=value`. */
  trainWhere?: string;
  /** With `label`: the label value of normal rows, the only ones trained on (as `trainWhere: '<label>=<normal>'`). */
  normal?: string;
  /** Share of `--data` held out for testing (tables 0.2, images 0.1 unless given). */
  testSplit?: number;
  /** Seed of the train/test draw; `seed` unless given. */
  splitSeed?: number;
  /** Where a large image folder's decoded cache is kept for reuse. */
  cacheDir?: string;
  /** Test examples in the code-space picture; 2,000 by default. */
  codePoints?: number;
  /** For a series file: the column of each point's time. */
  timeColumn?: string;
  /** For a series file: the columns read as signals. */
  valueColumns?: string[];
  /** For a series file: points per window. */
  window?: number;
  /** For a series file: points between the starts of training windows. */
  stride?: number;
  /** For a series file: lag of differencing (0 for none). */
  difference?: number;
  /** For a series file: how each window is detrended. */
  detrend?: string;
  /** For a series: the percentile of the validation points' scores that becomes the anomaly threshold. */
  percentile?: number;
}

/** The worker-count policy of `ae train`, now in core beside the trainer's `workers`; re-exported here for compatibility. */
export { defaultWorkers };

/**
 * The settings of a new run: the options given, else the family's training
 * defaults, else aekit's.
 *
 * @throws ConfigError naming the field for a value the schema refuses.
 */
export function newRunSettings(family: ModelFamily, options: SettingsOptions): RunSettings {
  const batchSize = options.batchSize ?? family.training?.batchSize ?? 256;
  return parseRunSettings({
    family: family.name,
    config: { ...options.config, ...(options.latentDim !== undefined ? { latentDim: options.latentDim } : {}) },
    epochs: options.epochs ?? family.training?.epochs ?? 10,
    batchSize,
    seed: options.seed ?? 0,
    // os.availableParallelism() explicitly: core's default needs process.getBuiltinModule, which Node 20 before 20.16 lacks.
    workers: options.workers ?? defaultWorkers(family, batchSize, registry, availableParallelism()),
    noise: options.noise === 'none' ? undefined : (options.noise ?? family.training?.noise),
    optimizer: options.optimizer,
    learningRate: options.learningRate ?? family.training?.learningRate,
    validationSplit: options.validationSplit ?? 0.1,
    patience: options.patience,
    dataset: options.dataset ?? family.training?.dataset ?? BUILT_IN_DATASET,
    data: options.data,
    imageSize: options.imageSize?.trim().toLowerCase(),
    channels: options.channels,
    label: options.label,
    skipBad: options.skipBad || undefined,
    columns: options.columns,
    drop: options.drop,
    impute: options.impute,
    delimiter: options.delimiter === '\\t' || options.delimiter === 'tab' ? '\t' : options.delimiter,
    trainWhere: trainFilter(options),
    testSplit: options.testSplit,
    splitSeed: options.splitSeed,
    cacheDir: options.cacheDir,
    limit: options.limit,
    testLimit: options.testLimit,
    codePoints: options.codePoints ?? 2000,
    timeColumn: options.timeColumn,
    valueColumns: options.valueColumns,
    window: options.window,
    stride: options.stride,
    difference: options.difference,
    detrend: options.detrend,
    percentile: options.percentile,
  });
}

/**
 * Checks settings (new, or read back from a checkpoint) against
 * {@link runSettingsSchema}; fields left undefined are dropped.
 *
 * @param value - The settings to check.
 * @param field - Prefix of the field named in errors, e.g. `resume` for a checkpoint.
 */
export function parseRunSettings(value: unknown, field?: string): RunSettings {
  const defined = value && typeof value === 'object' ? Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) : value;
  return parseConfig(runSettingsSchema, defined, field);
}

/** `--train-where column=value`, or `--normal <value>` with `--label`, as the rows to train on. */
function trainFilter(options: SettingsOptions): { column: string; value: string } | undefined {
  if (options.normal !== undefined) {
    if (options.trainWhere !== undefined) throw new ConfigError('normal', 'give --normal or --train-where, not both');
    if (!options.label) throw new ConfigError('normal', 'at training, --normal <value> names the normal value of the --label column; give --label too');
    return { column: options.label, value: options.normal };
  }
  if (options.trainWhere === undefined) return undefined;
  const match = /^([^!=]+)(!?=)(.*)$/.exec(options.trainWhere);
  if (!match || match[1].trim() === '') throw new ConfigError('train-where', `expected <column>=<value> or <column>!=<value>, e.g. anomaly=0, got '${options.trainWhere}'`);
  return { column: match[1].trim(), value: match[3].trim(), ...(match[2] === '!=' ? { not: true } : {}) };
}
