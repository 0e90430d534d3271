import { ConfigError, range, sizeOfShape, tf, type Autoencoder, type Dataset } from '@aekit/core';

/**
 * A code unit counts as near zero (inactive) for an input when its absolute
 * activation is below this: 1e-3, three orders of magnitude and more below
 * the values of order 1 to 10 that active relu code units take on MNIST.
 */
export const NEAR_ZERO_THRESHOLD = 1e-3;

/** Options of {@link measureCodeActivity}. */
export interface CodeActivityOptions {
  /** Examples encoded at a time; 256 by default. */
  batchSize?: number;
  /** Absolute activation below which a unit counts as near zero; {@link NEAR_ZERO_THRESHOLD} by default. */
  threshold?: number;
}

/** How active a model's code is on a dataset; see {@link measureCodeActivity}. */
export interface CodeActivity {
  /** Mean absolute code activation over every example and unit (for relu codes, the plain mean). */
  meanActivation: number;
  /** Share of (example, unit) pairs whose absolute activation is below the threshold, in [0, 1]. */
  nearZeroShare: number;
  /** Mean absolute activation of each code unit over the examples. */
  unitMeans: Float32Array;
  /** The threshold used. */
  threshold: number;
  /** Number of examples measured. */
  samples: number;
}

/**
 * Measures how sparse an autoencoder's code is on a dataset: the mean
 * absolute activation of the code and the share of code values that are
 * near zero. A sparse autoencoder should have a lower mean and a higher
 * near-zero share than the plain one.
 *
 * @param autoencoder - The (trained) model; its encoder is run in inference mode.
 * @param data - Data in the model's input shape.
 * @param options - Batch size and near-zero threshold.
 * @throws ConfigError when `data` is empty.
 */
export async function measureCodeActivity(
  autoencoder: Autoencoder,
  data: Dataset,
  options: CodeActivityOptions = {},
): Promise<CodeActivity> {
  if (data.size === 0) throw new ConfigError('data', 'cannot measure code activity on an empty dataset');
  const batchSize = options.batchSize ?? 256;
  const threshold = options.threshold ?? NEAR_ZERO_THRESHOLD;
  const units = sizeOfShape(autoencoder.latentShape);
  const unitSums = new Float64Array(units);
  let nearZero = 0;
  for (let start = 0; start < data.size; start += batchSize) {
    const indices = range(start, Math.min(start + batchSize, data.size));
    const [sums, zeros] = tf.tidy(() => {
      const magnitude = tf.abs(tf.reshape(autoencoder.encode(data.batch(indices)), [indices.length, units]));
      return [tf.sum(magnitude, 0), tf.sum(tf.cast(tf.less(magnitude, threshold), 'float32'))];
    });
    const [sumValues, zeroValues] = await Promise.all([sums.data(), zeros.data()]);
    tf.dispose([sums, zeros]);
    for (let j = 0; j < units; j++) unitSums[j] += sumValues[j];
    nearZero += zeroValues[0];
  }
  const samples = data.size;
  const unitMeans = Float32Array.from(unitSums, (s) => s / samples);
  const total = unitSums.reduce((a, b) => a + b, 0);
  return {
    meanActivation: total / (samples * units),
    nearZeroShare: nearZero / (samples * units),
    unitMeans,
    threshold,
    samples,
  };
}
