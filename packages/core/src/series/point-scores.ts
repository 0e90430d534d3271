import { tf } from '../tf.js';
import { range } from '../dataset.js';
import type { Autoencoder } from '../autoencoder.js';
import type { SeriesWindows } from './series-windows.js';

/** Reconstruction errors of windows, and of the points they cover. */
export interface SeriesScores {
  /** Mean squared reconstruction error of each window, in the dataset's order (model input units). */
  windowScores: Float32Array;
  /**
   * Per point of the series: the squared error of that point, averaged over
   * its channels and over every window that covers it. NaN for points no
   * window covers.
   */
  pointScores: Float32Array;
  /** The same per point and channel, time-major (`t * channels + c`). */
  channelScores: Float32Array;
}

/**
 * Scores windows and points of a series by how badly the autoencoder
 * reconstructs them. A point's score averages its error over all the
 * windows that contain it, which smooths out how a window's position
 * shifts its reconstruction.
 *
 * @example
 * ```ts
 * import { scoreSeriesWindows, SeriesWindows, windowStarts, type Autoencoder, type SeriesPreprocessing, type TimeSeries } from '@aekit/core';
 *
 * declare const autoencoder: Autoencoder; // trained on windows of this preprocessing
 * declare const series: TimeSeries;
 * declare const preprocessing: SeriesPreprocessing;
 * const starts = windowStarts({ window: preprocessing.window, from: preprocessing.difference, to: series.length });
 * const windows = new SeriesWindows(series, preprocessing, starts);
 * const { pointScores } = await scoreSeriesWindows(autoencoder, windows.reshape(autoencoder.inputShape));
 * const flagged = pointScores.map((s) => (s > 0.5 ? 1 : 0)); // 0.5: the threshold saved with the model
 * ```
 * @param autoencoder - A trained model whose input is `[window, channels]`.
 * @param windows - The windows to score, viewed in the model's input shape (`windows.reshape(autoencoder.inputShape)`).
 * @param options - Windows per forward pass, 256 by default.
 * @param options.batchSize - Windows reconstructed at a time.
 */
export async function scoreSeriesWindows(autoencoder: Autoencoder, windows: SeriesWindows, options: { batchSize?: number } = {}): Promise<SeriesScores> {
  const batchSize = options.batchSize ?? 256;
  const { length, channels } = windows.series;
  const window = windows.window;
  const per = window * channels;
  const windowScores = new Float32Array(windows.size);
  const sums = new Float64Array(length * channels);
  const counts = new Uint32Array(length);
  for (let first = 0; first < windows.size; first += batchSize) {
    const indices = range(first, Math.min(first + batchSize, windows.size));
    const errors = tf.tidy(() => {
      const x = windows.batch(indices);
      return tf.reshape(tf.squaredDifference(autoencoder.reconstruct(x), x), [indices.length, per]);
    });
    const values = (await errors.data()) as Float32Array;
    errors.dispose();
    for (let i = 0; i < indices.length; i++) {
      const w = indices[i];
      const errorsOfWindow = values.subarray(i * per, (i + 1) * per);
      let total = 0;
      const offset = windows.starts[w] * channels;
      for (let k = 0; k < per; k++) {
        total += errorsOfWindow[k];
        sums[offset + k] += errorsOfWindow[k];
      }
      windowScores[w] = total / per;
      for (let t = windows.starts[w]; t < windows.starts[w] + window; t++) counts[t]++;
    }
  }
  const channelScores = Float32Array.from(sums, (s, i) => {
    const n = counts[Math.floor(i / channels)];
    return n ? s / n : NaN;
  });
  const pointScores = Float32Array.from({ length }, (_, t) => {
    let sum = 0;
    for (let c = 0; c < channels; c++) sum += channelScores[t * channels + c];
    return sum / channels;
  });
  return { windowScores, pointScores, channelScores };
}
