import { tf } from '../../tf.js';
import { backendHasKernel } from '../shared/backend-has-kernel.js';
import { binaryCrossEntropyTargetGradient } from './gradient.js';
import { BINARY_CROSS_ENTROPY, PROBABILITY_EPSILON } from './name.js';

/**
 * Elementwise `-(t log p + (1 - t) log(1 - p))` with `p` clipped to
 * `[PROBABILITY_EPSILON, 1 - PROBABILITY_EPSILON]`, composed from ops, with its gradient written by hand:
 * `(p - t) / (p (1 - p))` for the output and `log(1 - p) - log p` for the
 * target. Differentiating the formula op by op runs many more kernels (the
 * clip alone adds four comparison and select kernels); this is five
 * elementwise kernels. Like PyTorch's
 * BCE, and unlike the op-by-op gradient of a clip, an output saturated at
 * exactly 0 or 1 still gets a gradient.
 */
const composedBce = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [p, t, save] = args as [tf.Tensor, tf.Tensor, tf.GradSaveFunc];
  const clipped = tf.clipByValue(p, PROBABILITY_EPSILON, 1 - PROBABILITY_EPSILON);
  const logP = tf.log(clipped);
  const log1mP = tf.log(tf.sub(1, clipped));
  save([clipped, t]);
  return {
    value: tf.neg(tf.add(log1mP, tf.mul(t, tf.sub(logP, log1mP)))),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [pc, target] = saved as [tf.Tensor, tf.Tensor];
      return [tf.div(tf.mul(dy, tf.sub(pc, target)), tf.mul(pc, tf.sub(1, pc))), binaryCrossEntropyTargetGradient(dy, pc)];
    },
  };
}) as (p: tf.Tensor, t: tf.Tensor) => tf.Tensor;

/**
 * The elementwise loss: one kernel where the backend registers
 * {@link BINARY_CROSS_ENTROPY} (aekit's wasm), the same formula composed
 * from ops elsewhere (and for targets of another shape or dtype).
 * @internal
 */
export function elementwiseBinaryCrossEntropy(p: tf.Tensor, t: tf.Tensor): tf.Tensor {
  const oneKernel =
    p.dtype === 'float32' &&
    t.dtype === 'float32' &&
    tf.util.arraysEqual(p.shape, t.shape) &&
    backendHasKernel(BINARY_CROSS_ENTROPY);
  return oneKernel ? (tf.engine().runKernel(BINARY_CROSS_ENTROPY, { p, t }) as tf.Tensor) : composedBce(p, t);
}
