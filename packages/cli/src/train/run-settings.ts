import { availableParallelism } from 'node:os';
import { ConfigError, defaultWorkers, noiseSpecSchema, parseConfig, planTraining, registry, z, type ModelFamily, type TrainingPlan } from '@aekit/core';
import { BUILT_IN_DATASET } from '../datasets.js';
import { RECORDED_OPTIONS, trainOptions, type TrainOptionInput } from './train-options.js';

const recorded = Object.fromEntries(RECORDED_OPTIONS.map((key) => [key, trainOptions.shape[key]])) as { [K in (typeof RECORDED_OPTIONS)[number]]: (typeof trainOptions.shape)[K] };

/**
 * Everything that decides a run's result, kept in its checkpoint so that
 * `--resume` repeats it exactly: the family, its config, and the `ae
 * train` options the run records (see `trainOptions`), with the same
 * schemas. New runs and resumed ones are checked with this one schema, so
 * a damaged or hand-edited checkpoint is refused with the field named
 * rather than trusted.
 */
export const runSettingsSchema = z
  // A run keeps the noise it trains with; `--noise none` (no noise for a denoising family) is kept as none.
  .strictObject({ family: z.string().min(1), ...recorded, config: z.record(z.string(), z.unknown()), noise: noiseSpecSchema.optional() })
  .required({ epochs: true, batchSize: true, dataset: true });

/** The settings of a run; see {@link runSettingsSchema}. */
export type RunSettings = z.output<typeof runSettingsSchema>;

/** The `ae train` options that become run settings (see `trainOptions`). */
export type SettingsOptions = TrainOptionInput;

/** The worker-count policy of `ae train`, now in core beside the trainer's `workers`; re-exported here for compatibility. */
export { defaultWorkers };

/** The settings that say which data a run reads and how, known before the data is read: all but how long and in what batches it trains, which follow the data's size. */
export type DataSettings = Omit<RunSettings, 'epochs' | 'steps' | 'batchSize' | 'workers' | 'patience'>;

/**
 * The data settings of a new run (see {@link DataSettings}): the options
 * given, else the family's training defaults, else those the options
 * declare. Every option is checked here, before the run directory is made.
 *
 * @param family - The family to train.
 * @param given - The options given, by key.
 * @throws ConfigError naming the flag or field of a value the schemas refuse.
 */
export function newDataSettings(family: ModelFamily, given: SettingsOptions): DataSettings {
  const { epochs: _epochs, steps: _steps, batchSize: _batchSize, workers: _workers, patience: _patience, ...data } = parseOptions(family, given);
  return data;
}

/**
 * The settings of a new run once its data is read: {@link newDataSettings},
 * and epochs, batch size and patience from {@link planTraining} (the
 * family's step budget on `examples` training examples, with early
 * stopping), unless the options say otherwise.
 *
 * @param family - The family to train.
 * @param given - The options given, by key.
 * @param examples - Training examples read (before the validation share is held out).
 * @returns The settings, and the plan they came from (for the log and `metrics.json`).
 * @throws ConfigError naming the flag or field of a value the schemas refuse.
 */
export function newRunSettings(family: ModelFamily, given: SettingsOptions, examples: number): { settings: RunSettings; plan: TrainingPlan } {
  const options = parseOptions(family, given);
  const plan = planTraining({
    examples,
    validationSplit: options.validationSplit,
    defaults: family.training,
    epochs: options.epochs,
    steps: options.steps,
    batchSize: options.batchSize,
    patience: options.patience,
    earlyStopping: options.earlyStopping,
  });
  const settings = parseRunSettings({
    ...options,
    epochs: plan.epochs,
    // The budget the epochs came from, when --steps asked for one.
    steps: options.epochs === undefined ? options.steps : undefined,
    batchSize: plan.batchSize,
    // os.availableParallelism() explicitly: core's default needs process.getBuiltinModule, which Node 20 before 20.16 lacks.
    workers: options.workers ?? defaultWorkers(family, plan.batchSize, registry, availableParallelism()),
    patience: plan.patience,
  });
  return { settings, plan };
}

/**
 * The options given, checked, with the family's training defaults where
 * none is given, as run settings. The family's epochs and batch size are
 * not options given: {@link planTraining} reads them from the family, after
 * its step budget.
 */
function parseOptions(family: ModelFamily, given: SettingsOptions) {
  const { steps: _steps, epochs: _epochs, batchSize: _batchSize, ...familyDefaults } = family.training ?? {};
  const { latentDim, backend: _backend, out: _out, resume: _resume, normal, ...options } = trainOptions.parse({ ...familyDefaults, ...definedOnly(given) });
  return {
    ...options,
    family: family.name,
    config: { ...options.config, ...(latentDim !== undefined ? { latentDim } : {}) },
    dataset: options.dataset ?? BUILT_IN_DATASET,
    // `none` turns a denoising family's default noise off.
    noise: options.noise === 'none' ? undefined : options.noise,
    // `--normal` is another way to say `--train-where <label>=<value>`; the run records the filter.
    trainWhere: normalRows(normal, options) ?? options.trainWhere,
  };
}

/** `--normal <value>` with `--label` as the rows to train on. */
function normalRows(normal: string | undefined, options: { label?: string; trainWhere?: unknown }): RunSettings['trainWhere'] {
  if (normal === undefined) return undefined;
  if (options.trainWhere !== undefined) throw new ConfigError('--normal', 'give --normal or --train-where, not both');
  if (!options.label) throw new ConfigError('--normal', 'at training, --normal <value> names the normal value of the --label column; give --label too');
  return { column: options.label, value: normal };
}

/**
 * Checks settings (new, or read back from a checkpoint) against
 * {@link runSettingsSchema}; fields left undefined are dropped.
 *
 * @param value - The settings to check.
 * @param field - Prefix of the field named in errors, e.g. `run` for a checkpoint's.
 */
export function parseRunSettings(value: unknown, field?: string): RunSettings {
  const defined = value && typeof value === 'object' ? definedOnly(value as Record<string, unknown>) : value;
  return parseConfig(runSettingsSchema, defined, field);
}

/** `values` without its undefined entries. */
export function definedOnly<T extends object>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as Partial<T>;
}
