/**
 * Time series for aekit: read a series file (CSV, TSV, JSON lines, JSON,
 * Parquet; a time column of dates or numbers; empty cells filled) into
 * windows, cut in time into training, validation and test parts, with the
 * preprocessing (window, differencing, per-window detrending, scale) that
 * goes with the model. Importing the package registers its reader of
 * `series` preprocessing with core, so scoring, inference and serving read
 * new series exactly as training did. Also: a seeded generator of series
 * with labelled anomalies, and a CSV writer.
 *
 * @packageDocumentation
 */
export { readSeries, type ReadSeriesOptions } from './read-series.js';
export { seriesFromRecords, TIME_COLUMN_NAMES, LABEL_COLUMN_NAMES, type ReadSeries, type SeriesColumnOptions, type SeriesRecord } from './series-records.js';
export { loadSeriesDataset, seriesParts, SERIES_TEST_SPLIT, SERIES_VALIDATION_SPLIT, type SeriesDataset, type SeriesDatasetOptions, type SeriesParts } from './load-series.js';
export { seriesReader, allWindows, windowIds } from './series-reader.js';
export { parseTime, formatTime, timeOf } from './time-values.js';
export {
  generateSeries,
  generateSeriesOptionsSchema,
  ANOMALY_KINDS,
  type AnomalyKind,
  type GenerateSeriesOptions,
  type GeneratedSeries,
  type InjectedAnomaly,
} from './generate.js';
export { seriesCsv, writeSeriesCsv } from './write-series.js';
