import { tf, ConfigError, sizeOfShape, type Dataset } from '@aekit/core';
import type { TimeSeries } from './time-series.js';

/** Options of {@link slidingWindows}. */
export interface WindowOptions {
  /** Points per window. */
  window: number;
  /** Points between the starts of consecutive windows; 1 by default. */
  stride?: number;
  /** First point windows may cover; 0 by default. */
  from?: number;
  /** Point before which windows must end; the series' length by default. */
  to?: number;
}

/**
 * Start points of overlapping windows of `window` points, `stride` apart,
 * within `[from, to)`. The last window is aligned with `to`, so every
 * point of the range is covered even when the stride does not divide it.
 *
 * @throws ConfigError naming `window` or `stride` when they do not fit the range.
 * @param options - Window length, stride and the range `[from, to)` the windows lie in.
 */
export function windowStarts(options: WindowOptions & { to: number }): Int32Array {
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

/**
 * Overlapping windows of a time series as a {@link Dataset}: example `i` is
 * points `starts[i] .. starts[i] + window - 1`, shape `[window, channels]`.
 * Windows are cut from the series when a batch is read, so overlapping
 * windows cost no memory. Where the series has anomaly labels, a window's
 * label is 1 if any of its points is anomalous.
 */
export class WindowDataset implements Dataset {
  readonly size: number;
  readonly exampleShape: readonly number[];
  /** Points per window. */
  readonly window: number;
  /** First point of each window. */
  readonly starts: Int32Array;
  /** The series the windows are cut from. */
  readonly series: TimeSeries;

  /**
   * @param series - The series to cut windows from.
   * @param window - Points per window.
   * @param starts - First point of each window.
   * @param exampleShape - Shape of one example; `[window, channels]` by default.
   */
  constructor(series: TimeSeries, window: number, starts: Int32Array, exampleShape: readonly number[] = [window, series.channels]) {
    if (sizeOfShape(exampleShape) !== window * series.channels) {
      throw new ConfigError('shape', `cannot view windows of [${window}, ${series.channels}] as [${exampleShape}]`);
    }
    starts.forEach((s, i) => {
      if (!(Number.isInteger(s) && s >= 0 && s + window <= series.length)) {
        throw new ConfigError(`starts.${i}`, `window ${s}..${s + window - 1} is outside the series (${series.length} points)`);
      }
    });
    this.series = series;
    this.window = window;
    this.starts = starts;
    this.size = starts.length;
    this.exampleShape = [...exampleShape];
  }

  batch(indices: ArrayLike<number>): tf.Tensor {
    const per = this.window * this.series.channels;
    const out = new Float32Array(indices.length * per);
    for (let i = 0; i < indices.length; i++) {
      const start = this.startOf(indices[i]) * this.series.channels;
      out.set(this.series.values.subarray(start, start + per), i * per);
    }
    return tf.tensor(out, [indices.length, ...this.exampleShape], 'float32');
  }

  /**
   * 1 for windows that contain a labelled anomaly, 0 for the others.
   *
   * @param indices - Positions of the windows in this dataset.
   */
  labels(indices: ArrayLike<number>): Int32Array {
    const labels = this.series.labels;
    if (!labels) throw new ConfigError('labels', 'this series has no anomaly labels');
    return Int32Array.from(indices, (i) => {
      const start = this.startOf(i);
      return labels.subarray(start, start + this.window).includes(1) ? 1 : 0;
    });
  }

  reshape(shape: readonly number[]): WindowDataset {
    return new WindowDataset(this.series, this.window, this.starts, shape);
  }

  subset(indices: ArrayLike<number>): WindowDataset {
    return new WindowDataset(this.series, this.window, Int32Array.from(indices, (i) => this.startOf(i)), this.exampleShape);
  }

  private startOf(i: number): number {
    if (!Number.isInteger(i) || i < 0 || i >= this.size) throw new RangeError(`example index ${i} is outside 0..${this.size - 1}`);
    return this.starts[i];
  }
}

/**
 * Cuts a series into overlapping windows, e.g.
 * `slidingWindows(series, { window: 32, to: trainEnd })` for training data.
 *
 * @param series - The series.
 * @param options - Window length, stride and the range of points to cover.
 */
export function slidingWindows(series: TimeSeries, options: WindowOptions): WindowDataset {
  const starts = windowStarts({ ...options, to: options.to ?? series.length });
  return new WindowDataset(series, options.window, starts);
}
