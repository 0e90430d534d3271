import { tf } from '../tf.js';
import { ConfigError } from '../errors.js';
import { sizeOfShape, type Dataset } from '../dataset.js';
import type { SeriesPreprocessing } from '../preprocessing.js';
import { normalizeSeriesWindows } from './series-preprocessing.js';
import type { TimeSeries } from './time-series.js';

/**
 * Overlapping windows of a raw time series as a {@link Dataset}: example
 * `i` is points `starts[i] .. starts[i] + window - 1`, shape
 * `[window, channels]`, normalised by the series' saved preprocessing when
 * a batch is read (so overlapping windows cost no memory). Where the series
 * has anomaly labels, a window's label is 1 if any of its points is
 * anomalous.
 *
 * @example
 * ```ts
 * import { fitSeriesPreprocessing, SeriesWindows, timeSeries, windowStarts } from '@aekit/core';
 *
 * const series = timeSeries(Float32Array.from({ length: 120 }, (_, t) => 315 + t / 12 + Math.sin(t / 2)), 1, { names: ['co2'] });
 * const spec = fitSeriesPreprocessing(series, { window: 24 }, { valueColumns: ['co2'] }, { to: 84 });
 * const windows = new SeriesWindows(series, spec, windowStarts({ window: 24, stride: 4, to: 84 }));
 * windows.size; // 16 (windows.exampleShape: [24, 1]); windows.batch([0, 1]) is a [2, 24, 1] tensor
 * ```
 */
export class SeriesWindows implements Dataset {
  readonly size: number;
  readonly exampleShape: readonly number[];

  /**
   * @param series - The raw series to cut windows from.
   * @param preprocessing - How a window becomes model input (window length, differencing, detrending, scale).
   * @param starts - First point of each window.
   * @param exampleShape - Shape of one example; `[window, channels]` by default.
   */
  constructor(
    readonly series: TimeSeries,
    readonly preprocessing: SeriesPreprocessing,
    readonly starts: Int32Array,
    exampleShape: readonly number[] = [preprocessing.window, series.channels],
  ) {
    if (sizeOfShape(exampleShape) !== preprocessing.window * series.channels) {
      throw new ConfigError('shape', `cannot view windows of [${preprocessing.window}, ${series.channels}] as [${exampleShape}]`);
    }
    const { window, difference } = preprocessing;
    starts.forEach((s, i) => {
      if (!(Number.isInteger(s) && s >= difference && s + window <= series.length)) {
        throw new ConfigError(`starts.${i}`, `window ${s}..${s + window - 1} is outside the series (${series.length} points${difference ? `, ${difference} of context first` : ''})`);
      }
    });
    this.size = starts.length;
    this.exampleShape = [...exampleShape];
  }

  /** Points per window. */
  get window(): number {
    return this.preprocessing.window;
  }

  batch(indices: ArrayLike<number>): tf.Tensor {
    const values = normalizeSeriesWindows(this.series, this.preprocessing, Int32Array.from(indices, (i) => this.startOf(i)));
    return tf.tensor(values, [indices.length, ...this.exampleShape], 'float32');
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

  reshape(shape: readonly number[]): SeriesWindows {
    return new SeriesWindows(this.series, this.preprocessing, this.starts, shape);
  }

  subset(indices: ArrayLike<number>): SeriesWindows {
    return new SeriesWindows(this.series, this.preprocessing, Int32Array.from(indices, (i) => this.startOf(i)), this.exampleShape);
  }

  private startOf(i: number): number {
    if (!Number.isInteger(i) || i < 0 || i >= this.size) throw new RangeError(`example index ${i} is outside 0..${this.size - 1}`);
    return this.starts[i];
  }
}
