import {
  DataFileError,
  normalizeSeriesWindows,
  preprocessors,
  SeriesWindows,
  windowStarts,
  type PreparedItems,
  type PrepareOptions,
  type PreprocessingReader,
  type RawItem,
  type SeriesPreprocessing,
  type TimeSeries,
} from '@aekit/core';
import { TABLE_FILE_PATTERN } from '@aekit/data-tables';
import { readSeries } from './read-series.js';
import { seriesFromRecords, type SeriesRecord } from './series-records.js';
import { formatTime, type CellValue } from './time-values.js';

/**
 * Every window of a whole series, one a point apart, as a model with this
 * preprocessing reads them; windows start where the differencing has its
 * context.
 *
 * @param series - The raw series.
 * @param preprocessing - The model's description.
 * @param limit - Keep at most this many windows, from the start.
 */
export function allWindows(series: TimeSeries, preprocessing: SeriesPreprocessing, limit?: number): SeriesWindows {
  const { window, difference } = preprocessing;
  if (series.length < window + difference) {
    throw new DataFileError('series', `has ${series.length} points; the model reads windows of ${window}${difference ? ` after ${difference} points of context` : ''}`);
  }
  const starts = windowStarts({ window, from: difference, to: series.length });
  return new SeriesWindows(series, preprocessing, limit !== undefined ? starts.subarray(0, limit) : starts);
}

/**
 * The reader of series data (`kind: 'series'`), registered with core's
 * `preprocessors` when this package is imported: `ae score`, `ae eval`,
 * `ae infer` and servers read a series file, or rows held in memory,
 * through it, exactly as training read its windows.
 */
export const seriesReader: PreprocessingReader<'series'> = {
  kind: 'series',
  reads: 'series files (.csv, .tsv, .jsonl, .json, .parquet), one row per point in time',
  async accepts(path: string): Promise<boolean> {
    return TABLE_FILE_PATTERN.test(path);
  },
  async read(paths: readonly string[], preprocessing: SeriesPreprocessing, options: PrepareOptions = {}): Promise<PreparedItems> {
    if (paths.length !== 1) throw new DataFileError(paths[1] ?? 'series', 'a model of series data scores one series file at a time');
    const [file] = paths;
    const { series } = await readSeries(file, { saved: preprocessing });
    const data = allWindows(series, preprocessing, options.limit);
    return { data, ids: windowIds(data), idHeader: 'window start', skipped: 0, source: file };
  },
  async prepare(items: readonly RawItem[], preprocessing: SeriesPreprocessing): Promise<Float32Array> {
    const header = [preprocessing.timeColumn, ...preprocessing.valueColumns].filter((c): c is string => c !== undefined);
    const records: SeriesRecord[] = items.map((item, i) => {
      if (item instanceof Uint8Array) throw new DataFileError(`items[${i}]`, 'a series model takes rows as objects of column values, not bytes');
      return { line: i, values: header.map((name) => (item[name] ?? null) as CellValue) };
    });
    const { series } = seriesFromRecords(header, records, 'items', { saved: { ...preprocessing, labelColumn: undefined } });
    const windows = allWindows(series, preprocessing);
    return normalizeSeriesWindows(series, preprocessing, windows.starts);
  },
};

/**
 * Each window named by the time (or point) it starts at.
 *
 * @param windows - The windows of a series.
 */
export function windowIds(windows: SeriesWindows): string[] {
  const { times, timeKind } = windows.series;
  return Array.from(windows.starts, (s) => (times ? formatTime(times[s], timeKind) : `point ${s}`));
}

preprocessors.register(seriesReader);
