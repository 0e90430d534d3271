import { tf } from '../tf.js';

/**
 * How an elementwise error becomes a scalar: `mean` averages over every
 * element (Keras' convention, the one MNIST tutorials report), `sum`
 * sums over each example's elements and averages over the batch (nats per
 * example, the convention of VAE papers).
 */
export type Reduction = 'mean' | 'sum';

/**
 * Reduces an elementwise error `[n, ...]` to a scalar. With a `mask` of the
 * same shape (1 = counts, 0 = padding), masked elements do not count.
 * @internal
 */
export function reduceElementwise(error: tf.Tensor, reduction: Reduction, mask?: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    const batch = error.shape[0] ?? 1;
    if (mask) {
      const weighted = tf.mul(error, mask);
      if (reduction === 'sum') return tf.div(tf.sum(weighted), batch) as tf.Scalar;
      return tf.div(tf.sum(weighted), tf.maximum(tf.sum(mask), 1)) as tf.Scalar;
    }
    return (reduction === 'sum' ? tf.div(tf.sum(error), batch) : tf.mean(error)) as tf.Scalar;
  });
}
