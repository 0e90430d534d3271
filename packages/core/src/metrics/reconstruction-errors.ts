import { tf } from '../tf.js';
import type { Autoencoder } from '../autoencoder.js';
import { range, sizeOfShape, type Dataset } from '../dataset.js';
import { modelInput } from '../trainer/evaluate.js';

/** Options of {@link reconstructionErrors}. */
export interface ReconstructionErrorOptions {
  /** Items per forward pass; 256 unless given. */
  batchSize?: number;
  /** Score only these items (in this order); all items unless given. */
  indices?: ArrayLike<number>;
}

/**
 * The anomaly score of each item: the mean squared error between the item
 * and the autoencoder's reconstruction of it, in the model's input units
 * (standardised units for a table). Paired data feeds its inputs and
 * compares with its targets. No noise is added.
 *
 * @example
 * ```ts
 * import { reconstructionErrors, rocAuc, type Autoencoder, type Dataset } from '@aekit/core';
 *
 * declare const autoencoder: Autoencoder; // trained on normal items
 * declare const test: Dataset; // in the model's input shape
 * declare const labels: Uint8Array; // 1 for anomalous
 * const errors = await reconstructionErrors(autoencoder, test, { batchSize: 128 }); // Float32Array, one per item
 * rocAuc(errors, labels);
 * ```
 * @param autoencoder - A trained model.
 * @param data - Items in the model's input shape.
 * @param options - Items per forward pass and which items to score.
 * @returns One score per item.
 */
export async function reconstructionErrors(autoencoder: Autoencoder, data: Dataset, options: ReconstructionErrorOptions = {}): Promise<Float32Array> {
  const batchSize = options.batchSize ?? 256;
  const order = options.indices ?? range(0, data.size);
  const per = sizeOfShape(data.exampleShape);
  const scores = new Float32Array(order.length);
  for (let first = 0; first < order.length; first += batchSize) {
    const indices = Array.from({ length: Math.min(batchSize, order.length - first) }, (_, i) => order[first + i]);
    const errors = tf.tidy(() => {
      const target = data.batch(indices);
      const input = modelInput(data, indices, target, undefined, 0);
      return tf.mean(tf.reshape(tf.squaredDifference(autoencoder.reconstruct(input), target), [indices.length, per]), 1);
    });
    scores.set((await errors.data()) as Float32Array, first);
    errors.dispose();
  }
  return scores;
}
