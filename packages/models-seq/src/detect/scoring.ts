import { tf, range, type Autoencoder } from '@aekit/core';
import type { WindowDataset } from '../series/windows.js';

/** Reconstruction errors of windows, and of the points they cover. */
export interface ReconstructionScores {
  /** Mean squared reconstruction error of each window, in the dataset's order. */
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
 * Scores windows and points by how badly the autoencoder reconstructs them.
 * A point's score averages its error over all the windows that contain it,
 * which smooths out how a window's position shifts its reconstruction.
 *
 * @param autoencoder - A trained model whose input is `[window, channels]`.
 * @param windows - The windows to score.
 * @param options - Windows per batch, 256 by default.
 * @param options.batchSize - Windows reconstructed at a time.
 */
export async function scoreWindows(
  autoencoder: Autoencoder,
  windows: WindowDataset,
  options: { batchSize?: number } = {},
): Promise<ReconstructionScores> {
  const batchSize = options.batchSize ?? 256;
  const { length, channels } = windows.series;
  const window = windows.window;
  const windowScores = new Float32Array(windows.size);
  const sums = new Float64Array(length * channels);
  const counts = new Uint32Array(length);
  for (let first = 0; first < windows.size; first += batchSize) {
    const indices = range(first, Math.min(first + batchSize, windows.size));
    const errors = tf.tidy(() => {
      const x = windows.batch(indices);
      return tf.reshape(tf.squaredDifference(autoencoder.reconstruct(x), x), [indices.length, window * channels]);
    });
    const values = (await errors.data()) as Float32Array;
    errors.dispose();
    indices.forEach((w, i) => {
      const errorsOfWindow = values.subarray(i * window * channels, (i + 1) * window * channels);
      windowScores[w] = errorsOfWindow.reduce((a, b) => a + b, 0) / errorsOfWindow.length;
      const offset = windows.starts[w] * channels;
      errorsOfWindow.forEach((e, k) => (sums[offset + k] += e));
      for (let t = windows.starts[w]; t < windows.starts[w] + window; t++) counts[t]++;
    });
  }
  const channelScores = Float32Array.from(sums, (s, i) => (counts[Math.floor(i / channels)] ? s / counts[Math.floor(i / channels)] : NaN));
  const pointScores = Float32Array.from({ length }, (_, t) => {
    let sum = 0;
    for (let c = 0; c < channels; c++) sum += channelScores[t * channels + c];
    return sum / channels;
  });
  return { windowScores, pointScores, channelScores };
}
