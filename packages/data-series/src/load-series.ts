import {
  ConfigError,
  fitSeriesPreprocessing,
  SeriesWindows,
  seriesWindowSettingsSchema,
  windowStarts,
  type DataDescription,
  type LoadedDataset,
  type SeriesPreprocessing,
  type SeriesWindowSettings,
  type TimeSeries,
} from '@aekit/core';
import { readSeries, type ReadSeriesOptions } from './read-series.js';

/** Share of a series, at its end, held out for testing unless told otherwise. */
export const SERIES_TEST_SPLIT = 0.2;
/** Share of the rest, at its end, held out for validation (and the threshold) unless told otherwise. */
export const SERIES_VALIDATION_SPLIT = 0.1;

/** Options of {@link loadSeriesDataset}. */
export interface SeriesDatasetOptions extends ReadSeriesOptions, Partial<SeriesWindowSettings> {
  /** Share of the points, at the end of the series, kept for testing; {@link SERIES_TEST_SPLIT} by default. */
  testSplit?: number;
  /** Share of the points before the test part, at its end, kept for validation; {@link SERIES_VALIDATION_SPLIT} by default, 0 for none. */
  validationSplit?: number;
  /** A saved model's preprocessing: its columns and fitted scale are used, not refitted. */
  preprocessing?: SeriesPreprocessing;
}

/** What series windows hold for a family: scaled values with no bound (so a family picks a linear output). */
const SERIES_DATA: DataDescription = { values: 'unbounded' };

/** Where a series was cut: training points `0 .. trainEnd-1`, validation `trainEnd .. validationEnd-1`, test the rest. */
export interface SeriesParts {
  length: number;
  trainEnd: number;
  validationEnd: number;
}

/** A series cut into training, validation and test windows, with the preprocessing fitted on the training part. */
export interface SeriesDataset extends LoadedDataset {
  train: SeriesWindows;
  /** Windows of the validation part (after the training part), when there is one. */
  validation?: SeriesWindows;
  test: SeriesWindows;
  /** The whole raw series. */
  series: TimeSeries;
  preprocessing: SeriesPreprocessing;
  parts: SeriesParts;
  /** Unbounded values: the windows are scaled (and detrended), not squeezed into [0, 1]. */
  description: DataDescription;
}

/**
 * Reads a series file and cuts it in time, oldest first: the training part
 * (the model learns its windows, every `stride` points; windows holding a
 * labelled anomaly are left out), the validation part (its windows decide
 * the anomaly threshold) and the test part at the end. The preprocessing
 * (differencing, detrending, scale) is fitted on the training part only.
 *
 * @example
 * ```ts
 * const data = await loadSeriesDataset('co2.csv', { window: 24, difference: 1 });
 * data.train.exampleShape; // [24, 1]
 * ```
 * @param file - The series file.
 * @param options - Columns, window settings and the shares of the parts.
 * @throws ConfigError naming `window` when a part is too short for one window.
 */
export async function loadSeriesDataset(file: string, options: SeriesDatasetOptions = {}): Promise<SeriesDataset> {
  const saved = options.preprocessing;
  const read = await readSeries(file, { ...options, saved: saved && { ...saved } });
  const { series } = read;
  const settings = saved ?? seriesWindowSettingsSchema.parse(pickSettings(options));
  const parts = seriesParts(series.length, settings, options.testSplit ?? SERIES_TEST_SPLIT, options.validationSplit ?? SERIES_VALIDATION_SPLIT);
  const preprocessing = saved ?? fitSeriesPreprocessing(series, settings, read.columns, { to: parts.trainEnd });
  const { window, stride, difference } = preprocessing;
  const trainStarts = windowStarts({ window, stride, from: difference, to: parts.trainEnd });
  const normal = series.labels ? trainStarts.filter((s) => !series.labels!.subarray(s - difference, s + window).includes(1)) : trainStarts;
  if (normal.length === 0) throw new ConfigError('window', `every training window of ${file} holds a labelled anomaly`);
  const windows = (from: number, to: number) => new SeriesWindows(series, preprocessing, windowStarts({ window, from: Math.max(from, difference), to }));
  const train = new SeriesWindows(series, preprocessing, normal);
  const validation = parts.validationEnd > parts.trainEnd ? windows(parts.trainEnd, parts.validationEnd) : undefined;
  const test = parts.length > parts.validationEnd ? windows(parts.validationEnd, parts.length) : new SeriesWindows(series, preprocessing, new Int32Array(0));
  const warnings = [
    `read ${series.length} points of ${series.channels} signal${series.channels > 1 ? 's' : ''} (${series.names.join(', ')}) from ${file}` +
      `${preprocessing.timeColumn ? `, time in '${preprocessing.timeColumn}'` : ''}${series.labels ? `, anomaly labels in '${preprocessing.labelColumn}'` : ''}: ` +
      `${parts.trainEnd} points to train on, ${parts.validationEnd - parts.trainEnd} to validate, ${parts.length - parts.validationEnd} to test, in time order`,
    ...read.notes,
  ];
  return { train, validation, test, series, preprocessing, parts, source: file, warnings, description: SERIES_DATA };
}

/**
 * Where a series of `length` points is cut (see {@link SeriesParts}).
 *
 * @param length - Points of the series.
 * @param settings - Window and differencing, for the smallest parts.
 * @param testSplit - Share of the points at the end kept for testing.
 * @param validationSplit - Share of the rest, at its end, kept for validation.
 * @throws ConfigError naming `window` when a part would hold no window.
 */
export function seriesParts(length: number, settings: Pick<SeriesWindowSettings, 'window' | 'difference'>, testSplit: number, validationSplit: number): SeriesParts {
  if (!(testSplit >= 0 && testSplit < 1)) throw new ConfigError('test-split', `expected a share from 0 to below 1, got ${testSplit}`);
  if (!(validationSplit >= 0 && validationSplit < 1)) throw new ConfigError('validation-split', `expected a share from 0 to below 1, got ${validationSplit}`);
  const validationEnd = length - Math.round(length * testSplit);
  const trainEnd = validationEnd - Math.round(validationEnd * validationSplit);
  const { window, difference } = settings;
  const short = (part: string, points: number) =>
    new ConfigError('window', `a window of ${window} points${difference ? ` (and ${difference} of context)` : ''} does not fit the ${part} part of ${points} points of a series of ${length}; use a shorter --window`);
  if (trainEnd < window + difference) throw short('training', trainEnd);
  if (validationEnd > trainEnd && validationEnd - trainEnd < window) throw short('validation', validationEnd - trainEnd);
  if (length > validationEnd && length - validationEnd < window) throw short('test', length - validationEnd);
  return { length, trainEnd, validationEnd };
}

function pickSettings(options: Partial<SeriesWindowSettings>): Partial<SeriesWindowSettings> {
  const { window, stride, difference, detrend } = options;
  return Object.fromEntries(Object.entries({ window, stride, difference, detrend }).filter(([, v]) => v !== undefined));
}
