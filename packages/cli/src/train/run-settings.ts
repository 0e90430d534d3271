import { availableParallelism } from 'node:os';
import { ConfigError, defaultWorkers, noiseSpecSchema, parseConfig, registry, TRAINING_DEFAULTS, z, type ModelFamily } from '@aekit/core';
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

/**
 * The settings of a new run: the options given, else the family's training
 * defaults, else those the options declare, else the trainer's.
 *
 * @param family - The family to train.
 * @param given - The options given, by key.
 * @throws ConfigError naming the flag or field of a value the schemas refuse.
 */
export function newRunSettings(family: ModelFamily, given: SettingsOptions): RunSettings {
  const { latentDim, backend: _backend, out: _out, resume: _resume, normal, ...options } = trainOptions.parse({ ...family.training, ...definedOnly(given) });
  const batchSize = options.batchSize ?? TRAINING_DEFAULTS.batchSize;
  return parseRunSettings({
    ...options,
    family: family.name,
    config: { ...options.config, ...(latentDim !== undefined ? { latentDim } : {}) },
    epochs: options.epochs ?? TRAINING_DEFAULTS.epochs,
    batchSize,
    // os.availableParallelism() explicitly: core's default needs process.getBuiltinModule, which Node 20 before 20.16 lacks.
    workers: options.workers ?? defaultWorkers(family, batchSize, registry, availableParallelism()),
    dataset: options.dataset ?? BUILT_IN_DATASET,
    // `none` turns a denoising family's default noise off.
    noise: options.noise === 'none' ? undefined : options.noise,
    // `--normal` is another way to say `--train-where <label>=<value>`; the run records the filter.
    trainWhere: normalRows(normal, options) ?? options.trainWhere,
  });
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
