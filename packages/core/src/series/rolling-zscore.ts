import type { TimeSeries } from './time-series.js';

/**
 * The rolling z-score, a simple baseline for anomaly scores of a series:
 * for point `t`, how many standard deviations each channel is from the mean
 * of the `window` points before it, squared and averaged over channels. It
 * follows a trend as well as its window does, and needs no training.
 * Points with fewer than two points before them score NaN.
 *
 * @example
 * ```ts
 * import { rollingZScores, timeSeries } from '@aekit/core';
 *
 * const series = timeSeries(Float32Array.from({ length: 200 }, (_, t) => Math.sin(t / 5) + (t === 150 ? 4 : 0)), 1);
 * const baseline = rollingZScores(series, 32); // highest at point 150; compare its ROC AUC with the autoencoder's point scores
 * ```
 * @param series - The raw series.
 * @param window - Points before each point that its mean and spread come from.
 */
export function rollingZScores(series: TimeSeries, window: number): Float32Array {
  const { length, channels, values } = series;
  const scores = new Float32Array(length).fill(NaN);
  for (let t = 2; t < length; t++) {
    const from = Math.max(0, t - window);
    const n = t - from;
    let total = 0;
    for (let c = 0; c < channels; c++) {
      let sum = 0;
      let sumSq = 0;
      for (let u = from; u < t; u++) {
        const v = values[u * channels + c];
        sum += v;
        sumSq += v * v;
      }
      const mean = sum / n;
      const sd = Math.sqrt(Math.max(0, sumSq / n - mean * mean));
      const z = (values[t * channels + c] - mean) / (sd > 1e-12 ? sd : 1);
      total += z * z;
    }
    scores[t] = total / channels;
  }
  return scores;
}
