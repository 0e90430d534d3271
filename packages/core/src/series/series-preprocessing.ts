import { z } from 'zod';
import { ConfigError } from '../errors.js';
import { positiveInt } from '../config.js';
import { PREPROCESSING_VERSION, SERIES_DETRENDS, type SeriesPreprocessing } from '../preprocessing.js';
import type { TimeSeries } from './time-series.js';

/** zod schema of the settings that decide a series' windows and their normalisation; every field has a default. */
export const seriesWindowSettingsSchema = z.strictObject({
  /** Points per window: the model reads `[window, channels]`. */
  window: positiveInt().min(2).default(32),
  /** Points between the starts of training windows (scoring always reads every window). */
  stride: positiveInt().default(1),
  /**
   * Lag of differencing: 0 reads values as they are, 1 reads the change
   * from the previous point, 12 the change from the same month a year
   * before (for monthly data). A window then needs `difference` points of
   * context before it.
   */
  difference: z.number().int().nonnegative().default(0),
  /** How each window is detrended: one of `SERIES_DETRENDS` of `@aekit/core` (`window-linear` by default). */
  detrend: z.enum(SERIES_DETRENDS).default('window-linear'),
});

/** Window and normalisation settings of a series, as given (defaults filled in by {@link seriesWindowSettingsSchema}). */
export type SeriesWindowSettings = z.output<typeof seriesWindowSettingsSchema>;

/** What {@link fitSeriesPreprocessing} is told about the data besides its values. */
export type SeriesColumns = Pick<SeriesPreprocessing, 'timeColumn' | 'timeKind' | 'valueColumns' | 'labelColumn' | 'delimiter'>;

/**
 * Points of raw context a window needs before its first point (the lag of differencing).
 *
 * @example
 * ```ts
 * import { contextPoints } from '@aekit/core';
 *
 * contextPoints({ difference: 12 }); // 12: a monthly window differenced by a year reads the 12 months before it
 * ```
 * @param settings - The window settings.
 */
export function contextPoints(settings: Pick<SeriesWindowSettings, 'difference'>): number {
  return settings.difference;
}

/**
 * Fits the per-channel `center` and `scale` on the training part of a
 * series (points `from .. to-1`; windows whose points are labelled
 * anomalous are left out) and returns the complete preprocessing.
 *
 * @example
 * ```ts
 * import { fitSeriesPreprocessing, SeriesWindows, timeSeries, windowStarts } from '@aekit/core';
 *
 * const series = timeSeries(Float32Array.from({ length: 120 }, (_, t) => 315 + t / 12 + Math.sin(t / 2)), 1, { names: ['co2'] });
 * const trainEnd = 84; // the first 70% of the points
 * const p = fitSeriesPreprocessing(series, { window: 24 }, { valueColumns: ['co2'] }, { to: trainEnd });
 * const windows = new SeriesWindows(series, p, windowStarts({ window: 24, to: series.length, from: p.difference }));
 * ```
 * @param series - The raw series.
 * @param settings - Window, stride, differencing and detrending; defaults filled in.
 * @param columns - Which columns the series came from, kept for reading new files.
 * @param range - The training part; the whole series by default.
 * @param range.from - First point of the training part.
 * @param range.to - Point after the training part.
 * @throws ConfigError naming `window` when the training part is too short for one window.
 */
export function fitSeriesPreprocessing(
  series: TimeSeries,
  settings: Partial<SeriesWindowSettings>,
  columns: SeriesColumns,
  range: { from?: number; to?: number } = {},
): SeriesPreprocessing {
  const s = seriesWindowSettingsSchema.parse(settings);
  const spec: SeriesPreprocessing = {
    kind: 'series',
    version: PREPROCESSING_VERSION,
    ...columns,
    missing: 'interpolate',
    ...s,
    center: new Array<number>(series.channels).fill(0),
    scale: new Array<number>(series.channels).fill(1),
  };
  const starts = windowStarts({ window: s.window, from: Math.max(range.from ?? 0, s.difference), to: range.to ?? series.length });
  const normal = series.labels ? starts.filter((start) => !series.labels!.subarray(start - s.difference, start + s.window).includes(1)) : starts;
  if (normal.length === 0) throw new ConfigError('window', 'every training window contains a labelled anomaly');
  // Detrended (but not yet centred or scaled) values of every training window.
  const values = seriesWindowValues(series, spec, normal);
  const { channels } = series;
  const sum = new Float64Array(channels);
  const sumSq = new Float64Array(channels);
  for (let i = 0; i < values.length; i++) {
    sum[i % channels] += values[i];
    sumSq[i % channels] += values[i] * values[i];
  }
  const n = values.length / channels;
  for (let c = 0; c < channels; c++) {
    const mean = s.detrend === 'none' ? sum[c] / n : 0;
    spec.center[c] = mean;
    // Around the mean for `none`; around the window's own line or mean otherwise (whose residuals average 0).
    const spread = Math.sqrt(Math.max(0, sumSq[c] / n - mean * mean));
    // A constant channel keeps scale 1 rather than dividing by zero.
    spec.scale[c] = spread > 1e-12 ? spread : 1;
  }
  return spec;
}

/**
 * The model input of each window, `[starts.length, window, channels]`
 * back to back: differenced, detrended, centred and scaled as `spec` says.
 * The one implementation behind training, evaluation, scoring and
 * inference; the ONNX export computes the same from
 * {@link seriesWindowMatrix}.
 *
 * @example
 * ```ts
 * import { fitSeriesPreprocessing, normalizeSeriesWindows, timeSeries, windowStarts } from '@aekit/core';
 *
 * const series = timeSeries(Float32Array.from({ length: 120 }, (_, t) => 315 + t / 12 + Math.sin(t / 2)), 1, { names: ['co2'] });
 * const spec = fitSeriesPreprocessing(series, { window: 24 }, { valueColumns: ['co2'] }, { to: 84 });
 * const starts = windowStarts({ window: 24, to: series.length }); // 97 windows
 * const input = normalizeSeriesWindows(series, spec, starts); // Float32Array(97 * 24 * 1)
 * ```
 * @param series - The raw series.
 * @param spec - The fitted preprocessing.
 * @param starts - First point of each window (at least `spec.difference`).
 */
export function normalizeSeriesWindows(series: TimeSeries, spec: SeriesPreprocessing, starts: ArrayLike<number>): Float32Array {
  const out = seriesWindowValues(series, spec, starts);
  const { channels } = series;
  checkChannels(spec, channels);
  for (let i = 0; i < out.length; i++) out[i] = (out[i] - spec.center[i % channels]) / spec.scale[i % channels];
  return out;
}

/**
 * Undoes {@link normalizeSeriesWindows} for the model's output of one
 * window, to draw it over the raw values: scaled back, the window's own
 * trend added, and (with differencing) each change added to the previous
 * raw value.
 *
 * @example
 * ```ts
 * import { normalizeSeriesWindows, restoreSeriesWindow, type SeriesPreprocessing, type TimeSeries } from '@aekit/core';
 *
 * declare const series: TimeSeries;
 * declare const spec: SeriesPreprocessing; // window 24, one channel
 * const input = normalizeSeriesWindows(series, spec, [10]);
 * const raw = restoreSeriesWindow(series, spec, 10, input); // points 10..33 in raw units: series.values.subarray(10, 34)
 * // the same with the model's output instead of `input` draws the reconstruction over the series
 * ```
 * @param series - The raw series.
 * @param spec - The fitted preprocessing.
 * @param start - First point of the window.
 * @param output - The model's output for that window, `window * channels` values.
 * @returns Raw-unit values of points `start .. start+window-1`, time-major.
 */
export function restoreSeriesWindow(series: TimeSeries, spec: SeriesPreprocessing, start: number, output: ArrayLike<number>): Float32Array {
  const { channels } = series;
  const { window, difference: lag } = spec;
  const raw = seriesWindowValues(series, { ...spec, detrend: 'none' }, [start]);
  const detrended = seriesWindowValues(series, spec, [start]);
  const out = new Float32Array(window * channels);
  for (let i = 0; i < out.length; i++) {
    const c = i % channels;
    // The part of the (differenced) window that detrending removed, put back.
    const trend = raw[i] - detrended[i];
    const change = output[i] * spec.scale[c] + spec.center[c] + trend;
    out[i] = lag > 0 ? series.values[(start + Math.floor(i / channels) - lag) * channels + c] + change : change;
  }
  return out;
}

/**
 * The linear map along time that turns the raw values of one channel of a
 * window (`window + difference` of them, oldest first) into its
 * differenced and detrended values (`window`): row-major
 * `[window, window + difference]`. Centring and scaling follow it. The
 * ONNX export bakes this matrix into the graph.
 *
 * @example
 * ```ts
 * import { seriesWindowMatrix } from '@aekit/core';
 *
 * seriesWindowMatrix({ window: 3, difference: 1, detrend: 'none' });
 * // [-1, 1, 0, 0,
 * //   0, -1, 1, 0,
 * //   0, 0, -1, 1]: each row the change from the point before
 * ```
 * @param spec - Window, differencing and detrending.
 */
export function seriesWindowMatrix(spec: Pick<SeriesWindowSettings, 'window' | 'difference' | 'detrend'>): Float64Array {
  const { window: w, difference: lag } = spec;
  const cols = w + lag;
  // Differencing: row i takes point i+lag minus point i (or point i itself without a lag).
  const diff = new Float64Array(w * cols);
  for (let i = 0; i < w; i++) {
    diff[i * cols + i + lag] += 1;
    if (lag > 0) diff[i * cols + i] -= 1;
  }
  // Detrending: I minus the projection onto the constant (and the line).
  const keep = new Float64Array(w * w);
  const mid = (w - 1) / 2;
  const ss = Array.from({ length: w }, (_, t) => (t - mid) ** 2).reduce((a, b) => a + b, 0);
  for (let i = 0; i < w; i++) {
    for (let j = 0; j < w; j++) {
      let projection = 0;
      if (spec.detrend !== 'none') projection += 1 / w;
      if (spec.detrend === 'window-linear') projection += ((i - mid) * (j - mid)) / ss;
      keep[i * w + j] = (i === j ? 1 : 0) - projection;
    }
  }
  const matrix = new Float64Array(w * cols);
  for (let i = 0; i < w; i++) {
    for (let k = 0; k < w; k++) {
      const a = keep[i * w + k];
      if (a !== 0) for (let j = 0; j < cols; j++) matrix[i * cols + j] += a * diff[k * cols + j];
    }
  }
  return matrix;
}

/** Differenced and detrended values of windows, before centring and scaling (time-major per window). */
function seriesWindowValues(series: TimeSeries, spec: Pick<SeriesWindowSettings, 'window' | 'difference' | 'detrend'>, starts: ArrayLike<number>): Float32Array {
  const { channels, values } = series;
  const { window: w, difference: lag, detrend } = spec;
  const out = new Float32Array(starts.length * w * channels);
  const mid = (w - 1) / 2;
  const ss = (w * (w * w - 1)) / 12; // sum over t of (t - mid)^2
  const y = new Float64Array(w);
  for (let n = 0; n < starts.length; n++) {
    const s = starts[n];
    if (!(Number.isInteger(s) && s >= lag && s + w <= series.length)) {
      throw new ConfigError('window', `a window of ${w} points at ${s}${lag ? ` with ${lag} points of context` : ''} does not fit a series of ${series.length} points`);
    }
    for (let c = 0; c < channels; c++) {
      let mean = 0;
      let slope = 0;
      for (let t = 0; t < w; t++) {
        const v = values[(s + t) * channels + c] - (lag > 0 ? values[(s + t - lag) * channels + c] : 0);
        y[t] = v;
        mean += v;
        slope += (t - mid) * v;
      }
      mean = detrend === 'none' ? 0 : mean / w;
      slope = detrend === 'window-linear' ? slope / ss : 0;
      const base = n * w * channels + c;
      for (let t = 0; t < w; t++) out[base + t * channels] = y[t] - mean - slope * (t - mid);
    }
  }
  return out;
}

function checkChannels(spec: SeriesPreprocessing, channels: number): void {
  if (spec.scale.length !== channels) {
    throw new ConfigError('channels', `the model reads ${spec.scale.length} signals (${spec.valueColumns.join(', ')}), the series has ${channels}`);
  }
}

/** Options of {@link windowStarts}. */
export interface WindowStartOptions {
  /** Points per window. */
  window: number;
  /** Points between the starts of consecutive windows; 1 by default. */
  stride?: number;
  /** First point windows may cover; 0 by default. */
  from?: number;
  /** Point before which windows must end. */
  to: number;
}

/**
 * Start points of overlapping windows of `window` points, `stride` apart,
 * within `[from, to)`. The last window is aligned with `to`, so every
 * point of the range is covered even when the stride does not divide it.
 *
 * @example
 * ```ts
 * import { windowStarts } from '@aekit/core';
 *
 * windowStarts({ window: 4, stride: 3, to: 10 }); // [0, 3, 6]
 * ```
 * @param options - Window length, stride and the range `[from, to)` the windows lie in.
 * @throws ConfigError naming `window` or `stride` when they do not fit the range.
 */
export function windowStarts(options: WindowStartOptions): Int32Array {
  const { window, stride = 1, from = 0, to } = options;
  if (!Number.isInteger(window) || window <= 0) throw new ConfigError('window', `expected a positive integer, got ${window}`);
  if (!Number.isInteger(stride) || stride <= 0) throw new ConfigError('stride', `expected a positive integer, got ${stride}`);
  if (!(Number.isInteger(from) && Number.isInteger(to) && from >= 0 && to - from >= window)) {
    throw new ConfigError('window', `${window} points do not fit between points ${from} and ${to}`);
  }
  const starts: number[] = [];
  for (let s = from; s + window <= to; s += stride) starts.push(s);
  if (starts[starts.length - 1] !== to - window) starts.push(to - window);
  return Int32Array.from(starts);
}
