import { ConfigError, flagName, registry, SeriesWindows, windowStarts, type DataDescription, type LoadedDataset, type ModelFamily, type SeriesPreprocessing, type TimeSeries } from '@aekit/core';
import type { AnomalyThreshold } from '@aekit/core/node';
import type * as DataSeriesModule from '@aekit/data-series';
import { isTableFile } from '../data-source.js';
import { importOptional } from '../optional-packages.js';
import type { DataSettings } from '../train/run-settings.js';
import { seriesOptions } from '../train/train-options.js';

/** Loads `@aekit/data-series`, the reader of series files, or names it to install. */
export function importDataSeries(): Promise<typeof DataSeriesModule> {
  return importOptional('@aekit/data-series', () => import('@aekit/data-series'), 'to read series files');
}

/** The `ae train` settings that only a series has (see `seriesOptions`). */
const SERIES_KEYS = Object.keys(seriesOptions) as (keyof typeof seriesOptions)[];

/**
 * Whether `ae train` reads `--data` as a time series: a table-like file
 * (`.csv`, `.tsv`, `.jsonl`, `.json`, `.parquet`) given to a family that
 * reads series best (`dataKinds: ['series']`, as `lstm`), or with any
 * series flag (`--window`, `--time-column`, …).
 *
 * @param family - The family to train.
 * @param settings - The run's settings.
 * @throws ConfigError naming a series flag given with data that is no series file.
 */
export function readsAsSeries(family: ModelFamily, settings: DataSettings): boolean {
  const given = SERIES_KEYS.filter((key) => settings[key] !== undefined);
  const file = settings.data !== undefined && isTableFile(settings.data);
  if (given.length > 0 && !file) {
    const flag = flagName(given[0]);
    throw new ConfigError(flag.slice(2), `${flag} applies to a series file (--data series.csv), and ${settings.data ? `${settings.data} is none` : 'no --data was given'}`);
  }
  const series = file && (given.length > 0 || family.dataKinds?.[0] === 'series');
  if (series && !family.dataKinds?.includes('series')) {
    const able = registry.list().filter((f) => f.dataKinds?.includes('series')).map((f) => f.name);
    throw new ConfigError('data', `family '${family.name}' does not read series windows; families that do: ${able.join(', ') || 'none registered (install @aekit/models-seq for lstm)'}`);
  }
  return series;
}

/** A run's series as read for training, scoring or evaluation: the raw series and its parts. */
export interface SeriesRunData {
  /** The whole raw series. */
  series: TimeSeries;
  preprocessing: SeriesPreprocessing;
  /** Training points `0 .. trainEnd-1`, validation `trainEnd .. validationEnd-1`, test the rest. */
  parts: { length: number; trainEnd: number; validationEnd: number };
  train: SeriesWindows;
  validation?: SeriesWindows;
  test: SeriesWindows;
  /** What the windows hold (unbounded values), for the family's `configFor`. */
  description: DataDescription;
  /** Lines for the user about the file (columns left out, cells filled, rows sorted). */
  notes: string[];
}

/**
 * Reads the series of a new run with `@aekit/data-series`: columns found
 * or given, cut in time into training, validation and test parts, the
 * preprocessing fitted on the training part.
 *
 * @param settings - The run's settings (`data` is the series file).
 */
export async function loadSeriesRunData(settings: DataSettings): Promise<SeriesRunData> {
  const { loadSeriesDataset } = await importDataSeries();
  const data = await loadSeriesDataset(settings.data!, {
    timeColumn: settings.timeColumn,
    valueColumns: settings.valueColumns,
    labelColumn: settings.label,
    delimiter: settings.delimiter,
    window: settings.window,
    stride: settings.stride,
    difference: settings.difference,
    detrend: settings.detrend as SeriesPreprocessing['detrend'] | undefined,
    testSplit: settings.testSplit,
    validationSplit: settings.validationSplit,
  });
  return { ...data, notes: data.warnings ?? [] };
}

/** What a series run records in `metrics.json` (`series`), to find its parts again and say what was read. */
export interface SeriesRunRecord {
  parts: { length: number; trainEnd: number; validationEnd: number };
  /** The signal columns, and the time and label columns where the file has them. */
  columns: Pick<SeriesPreprocessing, 'timeColumn' | 'timeKind' | 'valueColumns' | 'labelColumn'>;
  /** Windows of each part. */
  windows: { train: number; validation: number; test: number };
  /** The threshold saved with the model. */
  threshold: AnomalyThreshold;
  /** What the reader told the user (columns left out, cells filled, rows sorted). */
  notes: string[];
}

/**
 * The `series` field of a series run's `metrics.json`.
 *
 * @param data - The run's series.
 * @param threshold - The threshold chosen on its validation part.
 */
export function seriesRecord(data: SeriesRunData, threshold: AnomalyThreshold): SeriesRunRecord {
  const { timeColumn, timeKind, valueColumns, labelColumn } = data.preprocessing;
  return {
    parts: data.parts,
    columns: { timeColumn, timeKind, valueColumns, labelColumn },
    windows: { train: data.train.size, validation: data.validation?.size ?? 0, test: data.test.size },
    threshold,
    notes: data.notes,
  };
}

/**
 * The test windows of a finished series run, read again from its file with
 * the saved preprocessing (`ae eval`, `ae score` without data), or every
 * window of another series file.
 *
 * @param file - The run's series file, or a new one.
 * @param preprocessing - The model's saved preprocessing.
 * @param record - The run's parts, when `file` is the run's own.
 */
export async function readSeriesForRun(file: string, preprocessing: SeriesPreprocessing, record?: SeriesRunRecord): Promise<{ windows: SeriesWindows; from: number; notes: string[] }> {
  const { readSeries, allWindows } = await importDataSeries();
  const { series, notes } = await readSeries(file, { saved: preprocessing });
  if (!record) return { windows: allWindows(series, preprocessing), from: 0, notes };
  const { validationEnd, length } = record.parts;
  if (series.length !== length) {
    throw new ConfigError('data', `${file} has ${series.length} points now, ${length} when the run was trained; give it as data to score it whole`);
  }
  const from = Math.max(validationEnd, preprocessing.difference);
  if (length - from < preprocessing.window) throw new ConfigError('data', `the run kept no test part of ${file} (--test-split 0); give a series file to score`);
  return { windows: new SeriesWindows(series, preprocessing, windowStarts({ window: preprocessing.window, from, to: length })), from, notes };
}

/**
 * The test windows of a series run for `ae eval`: the run's own test part,
 * or every window of another series file.
 *
 * @param run - The run's `metrics.json` (its file and parts).
 * @param preprocessing - The model's saved preprocessing.
 * @param data - Another series file to evaluate on.
 */
export async function seriesTestData(run: { data?: string; series?: SeriesRunRecord }, preprocessing: SeriesPreprocessing, data?: string): Promise<Pick<LoadedDataset, 'test' | 'close'>> {
  const file = data ?? run.data;
  if (!file) throw new ConfigError('data', 'the run does not say which series it was trained on; give it with --data');
  const { windows } = await readSeriesForRun(file, preprocessing, data ? undefined : run.series);
  return { test: windows };
}
