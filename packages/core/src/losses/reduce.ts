import { tf } from '../tf.js';

/**
 * How an elementwise error becomes a scalar: `mean` averages over every
 * element (Keras' convention, the one MNIST tutorials report), `sum`
 * sums over each example's elements and averages over the batch (nats per
 * example, the convention of VAE papers).
 */
export type Reduction = 'mean' | 'sum';

/**
 * `tf.sum` (or `tf.mean`) of every element, with tfjs' gradient computed
 * another way: tfjs multiplies the incoming gradient by `tf.ones` of the
 * input's shape, an array built and filled in JavaScript and copied to the
 * backend on every step (for a batch of 256 MNIST images, 200,704 floats:
 * more time than the loss's own kernels); this fills it with a kernel
 * (`tf.fill`). The same floats: tfjs' `(dy * 1) / n` is `(dy / n) * 1`.
 */
const reduceAll = (mean: boolean) =>
  tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const x = args[0] as tf.Tensor;
    return {
      value: mean ? tf.mean(x) : tf.sum(x),
      gradFunc: (dy: tf.Tensor) => {
        const perElement = tf.reshape(mean ? tf.div(dy, x.size) : dy, x.shape.map(() => 1));
        return tf.mul(perElement, tf.fill(x.shape, 1));
      },
    };
  }) as (x: tf.Tensor) => tf.Scalar;

const sumAll = reduceAll(false);
const meanAll = reduceAll(true);

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
      if (reduction === 'sum') return tf.div(sumAll(weighted), batch) as tf.Scalar;
      return tf.div(sumAll(weighted), tf.maximum(tf.sum(mask), 1)) as tf.Scalar;
    }
    return (reduction === 'sum' ? tf.div(sumAll(error), batch) : meanAll(error)) as tf.Scalar;
  });
}
