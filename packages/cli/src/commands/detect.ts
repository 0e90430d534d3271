import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { commandOptions, integerIn, option, seriesWindowSettingsSchema, trainingSettingSchemas as trainer, z, type OptionInput, type OptionValues } from '@aekit/core';
import { defaultRunDirectory, prepareRunDirectory, removeEmptyRunDirectory } from '../run-directory.js';
import { importDataSeries } from '../series/series-data.js';
import { seriesOptions, trainOptions } from '../train/train-options.js';
import { scoreCommand, type ScoreResult } from './score.js';
import { trainCommand } from './train.js';

const { epochs, batchSize, latentDim, learningRate, config, testSplit, validationSplit, backend } = trainOptions.shape;

/**
 * The options of `ae detect`, declared once: the `ae train` settings a
 * series run takes (the same declarations, so the same checks), the
 * series options, and those of the generated series used without `--data`.
 */
export const detectOptions = commandOptions({
  data: option(z.string().min(1), {
    value: 'file',
    help: 'the series: a CSV, TSV, JSON lines, JSON or Parquet file, one row per point in time (default: a generated series with labelled anomalies)',
  }),
  label: option(z.string().min(1), { value: 'column', help: 'the column of 0/1 anomaly labels (default: one named label, anomaly or is_anomaly)' }),
  length: option(integerIn({ min: 1 }), { value: 'n', help: 'points of the generated series', default: 4000 }),
  signals: option(integerIn({ min: 1 }), { value: 'n', help: 'signals of the generated series', default: 3 }),
  anomalies: option(integerIn({ min: 0 }), { value: 'n', help: 'anomalies injected into the test part of the generated series', default: 8 }),
  epochs,
  batchSize,
  latentDim,
  learningRate,
  config,
  seed: option(trainer.seed, { value: 'n', help: 'seed of the generated series, initialisation and shuffling', default: 0 }),
  testSplit,
  validationSplit,
  backend,
  ...seriesOptions,
  out: option(z.string().min(1), { value: 'dir', help: 'run directory (default: runs/detect-<time>)' }),
});

/** Options of `ae detect` (see {@link detectOptions}), as code gives them. */
export type DetectOptions = OptionInput<typeof detectOptions.shape>;

/** What `ae detect` produced: the run directory, and the scores of its test part unless interrupted. */
export interface DetectOutcome {
  runDir: string;
  score?: ScoreResult;
  interrupted: boolean;
}

/**
 * `ae detect`: anomaly detection on a time series in one command. It is
 * `ae train lstm --data <series> --out <run>` followed by `ae score <run>`
 * (the test part, with the threshold chosen on the validation part), so it
 * writes the same files as those two run one after the other. Without
 * `--data` it first writes a generated series with labelled anomalies in
 * its test part to `<run>/series.csv`.
 *
 * @param options - Training, series and generator options.
 * @param log - Where lines for the user go.
 */
export async function detectCommand(given: DetectOptions, log: (line: string) => void): Promise<DetectOutcome> {
  const options = detectOptions.parse(given);
  const dir = options.out ?? defaultRunDirectory('detect');
  const created = !existsSync(dir);
  // The generated series goes into the run folder before training starts: aekit's marker keeps the folder ours for ae train.
  const runDir = await prepareRunDirectory(dir, '--out', { marker: true });
  try {
    return await detectIn(runDir, options, log);
  } catch (error) {
    if (created) await removeEmptyRunDirectory(runDir);
    throw error;
  }
}

async function detectIn(runDir: string, options: OptionValues<typeof detectOptions.shape>, log: (line: string) => void): Promise<DetectOutcome> {
  let data = options.data;
  if (!data) {
    const { generateSeries, seriesParts, writeSeriesCsv, SERIES_TEST_SPLIT, SERIES_VALIDATION_SPLIT } = await importDataSeries();
    const { length } = options;
    // The generated anomalies go into the test part, cut as training will cut it (the series reader's window defaults).
    const windows = seriesWindowSettingsSchema.parse({ window: options.window, difference: options.difference });
    const { validationEnd } = seriesParts(length, windows, options.testSplit ?? SERIES_TEST_SPLIT, options.validationSplit ?? SERIES_VALIDATION_SPLIT);
    const series = generateSeries({ length, channels: options.signals, seed: options.seed, anomalies: { count: options.anomalies, from: validationEnd } });
    data = join(runDir, 'series.csv');
    await writeSeriesCsv(data, series);
    log(`generated ${length} points of ${series.channels} signals with ${series.anomalies.length} labelled anomalies in the test part (seed ${options.seed}): ${data}`);
  }
  const { length: _length, signals: _signals, anomalies: _anomalies, ...train } = options;
  const outcome = await trainCommand('lstm', { ...train, data, out: runDir }, log);
  outcome.autoencoder.dispose();
  if (outcome.interrupted) return { runDir, interrupted: true };
  const score = await scoreCommand(runDir, undefined, { backend: options.backend }, log);
  return { runDir, score, interrupted: false };
}
