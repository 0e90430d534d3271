import { join } from 'node:path';
import { defaultRunDirectory, prepareRunDirectory, removeEmptyRunDirectory } from '../run-directory.js';
import { importDataSeries } from '../series/series-data.js';
import { scoreCommand, type ScoreResult } from './score.js';
import { trainCommand, type TrainOptions } from './train.js';

/** Options of `ae detect`: those of `ae train` for a series, and of the generated series used without `--data`. */
export interface DetectOptions extends TrainOptions {
  /** Points of the generated series. */
  length?: number;
  /** Signals of the generated series. */
  signals?: number;
  /** Anomalies injected into the test part of the generated series. */
  anomalies?: number;
}

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
export async function detectCommand(options: DetectOptions, log: (line: string) => void): Promise<DetectOutcome> {
  const { path: runDir, created } = await prepareRunDirectory(options.out ?? defaultRunDirectory('detect'));
  try {
    return await detectIn(runDir, options, log);
  } catch (error) {
    if (created) await removeEmptyRunDirectory(runDir);
    throw error;
  }
}

async function detectIn(runDir: string, options: DetectOptions, log: (line: string) => void): Promise<DetectOutcome> {
  let data = options.data;
  if (!data) {
    const { generateSeries, seriesParts, writeSeriesCsv, SERIES_TEST_SPLIT, SERIES_VALIDATION_SPLIT } = await importDataSeries();
    const length = options.length ?? 4000;
    const { validationEnd } = seriesParts(length, { window: options.window ?? 32, difference: options.difference ?? 0 }, options.testSplit ?? SERIES_TEST_SPLIT, options.validationSplit ?? SERIES_VALIDATION_SPLIT);
    const series = generateSeries({ length, channels: options.signals ?? 3, seed: options.seed ?? 0, anomalies: { count: options.anomalies ?? 8, from: validationEnd } });
    data = join(runDir, 'series.csv');
    await writeSeriesCsv(data, series);
    log(`generated ${length} points of ${series.channels} signals with ${series.anomalies.length} labelled anomalies in the test part (seed ${options.seed ?? 0}): ${data}`);
  }
  const { length: _length, signals: _signals, anomalies: _anomalies, ...train } = options;
  const outcome = await trainCommand('lstm', { ...train, data, out: runDir }, log);
  outcome.autoencoder.dispose();
  if (outcome.interrupted) return { runDir, interrupted: true };
  const score = await scoreCommand(runDir, undefined, { backend: options.backend }, log);
  return { runDir, score, interrupted: false };
}
