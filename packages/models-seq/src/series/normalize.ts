import { ConfigError } from '@aekit/core';
import type { TimeSeries } from './time-series.js';

/** Options of {@link SeriesNormalizer.fit}. */
export interface NormalizerOptions {
  /** Fit on points `0 .. end-1` only (the training part); the whole series by default. */
  end?: number;
  /** Also remove a straight-line trend per channel; true by default. */
  detrend?: boolean;
}

/**
 * Per-channel normalisation fitted on the training part of a series:
 * subtract a straight line (or the mean) and divide by the standard
 * deviation of what is left. A model trained on normalised windows then
 * sees the test part on the same scale, with the trend carried forward,
 * so a trending series does not look anomalous merely for having moved on.
 */
export class SeriesNormalizer {
  /**
   * @param intercept - Per channel, the line's value at point 0 (the mean without detrending).
   * @param slope - Per channel, the line's rise per point (0 without detrending).
   * @param scale - Per channel, the standard deviation around the line.
   */
  constructor(
    readonly intercept: Float64Array,
    readonly slope: Float64Array,
    readonly scale: Float64Array,
  ) {}

  /**
   * Fits the normalisation by least squares on the training part, leaving
   * out points labelled as anomalies.
   *
   * @param series - The series.
   * @param options - End of the training part and whether to detrend.
   * @throws ConfigError when the training part has fewer than two normal points.
   */
  static fit(series: TimeSeries, options: NormalizerOptions = {}): SeriesNormalizer {
    const end = options.end ?? series.length;
    const detrend = options.detrend ?? true;
    const points: number[] = [];
    for (let t = 0; t < Math.min(end, series.length); t++) if (!series.labels?.[t]) points.push(t);
    if (points.length < 2) throw new ConfigError('trainFraction', `the training part has ${points.length} normal points; at least 2 are needed`);
    const { channels, values } = series;
    const intercept = new Float64Array(channels);
    const slope = new Float64Array(channels);
    const scale = new Float64Array(channels);
    const meanT = points.reduce((a, t) => a + t, 0) / points.length;
    const varT = points.reduce((a, t) => a + (t - meanT) ** 2, 0);
    for (let c = 0; c < channels; c++) {
      const meanX = points.reduce((a, t) => a + values[t * channels + c], 0) / points.length;
      const b = detrend ? points.reduce((a, t) => a + (t - meanT) * (values[t * channels + c] - meanX), 0) / varT : 0;
      intercept[c] = meanX - b * meanT;
      slope[c] = b;
      const residual = points.reduce((a, t) => a + (values[t * channels + c] - intercept[c] - b * t) ** 2, 0);
      // A constant channel keeps scale 1 rather than dividing by zero.
      scale[c] = Math.sqrt(residual / points.length) || 1;
    }
    return new SeriesNormalizer(intercept, slope, scale);
  }

  /**
   * The normalised series: same length, channels, names and labels.
   *
   * @param series - A series with the channels this normaliser was fitted on.
   */
  transform(series: TimeSeries): TimeSeries {
    if (series.channels !== this.scale.length) {
      throw new ConfigError('channels', `the normaliser was fitted on ${this.scale.length} channels, the series has ${series.channels}`);
    }
    const { channels } = series;
    const values = Float32Array.from(series.values, (v, i) => {
      const t = Math.floor(i / channels);
      const c = i % channels;
      return (v - this.intercept[c] - this.slope[c] * t) / this.scale[c];
    });
    return { ...series, values };
  }

  /** Plain numbers for `metrics.json`. */
  toJSON(): { intercept: number[]; slope: number[]; scale: number[] } {
    return { intercept: Array.from(this.intercept), slope: Array.from(this.slope), scale: Array.from(this.scale) };
  }
}
