import { tf } from '../../tf.js';
import { BINARY_CROSS_ENTROPY, BINARY_CROSS_ENTROPY_GRAD, PROBABILITY_EPSILON } from './name.js';

/**
 * The gradient of the binary cross-entropy with respect to the target,
 * `dy (log(1 - p) - log p)` for clipped outputs `p`: composed from ops on
 * every backend, since the target is data in aekit's training and tfjs asks
 * for it only when a target depends on the variables.
 * @internal
 */
export function binaryCrossEntropyTargetGradient(dy: tf.Tensor, clipped: tf.Tensor): tf.Tensor {
  return tf.mul(dy, tf.sub(tf.log(tf.sub(1, clipped)), tf.log(clipped)));
}

/**
 * How tfjs differentiates {@link BINARY_CROSS_ENTROPY}: the output
 * gradient by {@link BINARY_CROSS_ENTROPY_GRAD}, the target's composed.
 * @internal
 */
export const binaryCrossEntropyGradConfig: tf.GradConfig = {
  kernelName: BINARY_CROSS_ENTROPY,
  inputsToSave: ['p', 't'],
  gradFunc: (dy, saved) => {
    const [p, t] = saved as [tf.Tensor, tf.Tensor];
    const upstream = tf.broadcastTo(dy as tf.Tensor, p.shape);
    return {
      p: () => tf.engine().runKernel(BINARY_CROSS_ENTROPY_GRAD, { p, t, dy: upstream }) as tf.Tensor,
      t: () => binaryCrossEntropyTargetGradient(upstream, tf.clipByValue(p, PROBABILITY_EPSILON, 1 - PROBABILITY_EPSILON)),
    };
  },
};
