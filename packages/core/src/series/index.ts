export { timeSeries, sliceSeries, type TimeSeries, type TimeSeriesParts, type TimeKind } from './time-series.js';
export {
  contextPoints,
  fitSeriesPreprocessing,
  normalizeSeriesWindows,
  restoreSeriesWindow,
  seriesWindowMatrix,
  seriesWindowSettingsSchema,
  windowStarts,
  type SeriesColumns,
  type SeriesWindowSettings,
  type WindowStartOptions,
} from './series-preprocessing.js';
export { SeriesWindows } from './series-windows.js';
export { scoreSeriesWindows, type SeriesScores } from './point-scores.js';
export { rollingZScores } from './rolling-zscore.js';
