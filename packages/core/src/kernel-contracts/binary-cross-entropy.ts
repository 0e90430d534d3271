import { tf } from '../tf.js';
import { backendHasKernel } from './backend-has-kernel.js';

// The binary cross-entropy's kernels by name, with their inputs: the
// contract between the op below (run by the loss term) and the kernel
// packages that implement them, as tfjs' kernel_names is for its own.

/** Elementwise binary cross-entropy: inputs `p` (outputs) and `t` (targets), `p` clipped to `[PROBABILITY_EPSILON, 1 - PROBABILITY_EPSILON]`; one output of their shape. */
export const BINARY_CROSS_ENTROPY = 'AekitBinaryCrossEntropy';

/** Its gradient for the outputs, `dy (p - t) / (p (1 - p))` with `p` clipped: inputs `p`, `t`, `dy` (all of one shape). */
export const BINARY_CROSS_ENTROPY_GRAD = 'AekitBinaryCrossEntropyGrad';

/**
 * The binary cross-entropy summed to a scalar in one kernel: inputs `p` and
 * `t` (of one shape), attribute `scale` ({@link BinaryCrossEntropySumAttrs});
 * output the scalar `scale * sum(bce)`, so that the mean is `scale = 1 / size`
 * and the per-example sum of a batch `1 / batch`. The sum is deterministic:
 * partial sums over blocks of {@link BINARY_CROSS_ENTROPY_SUM_BLOCK}
 * elements, each accumulated in double, added in block order, the same float
 * whatever the number of threads.
 */
export const BINARY_CROSS_ENTROPY_SUM = 'AekitBinaryCrossEntropySum';

/** Its gradient for the outputs from the scalar `dy`: `dp = (dy scale) (p - t) / (p (1 - p))`, `p` clipped; inputs `p`, `t`, `dy`, attribute `scale`. */
export const BINARY_CROSS_ENTROPY_SUM_GRAD = 'AekitBinaryCrossEntropySumGrad';

/** The elements of one partial sum of {@link BINARY_CROSS_ENTROPY_SUM}: a fixed size, so that the float does not depend on how work is split. */
export const BINARY_CROSS_ENTROPY_SUM_BLOCK = 1024;

/** The attributes of {@link BINARY_CROSS_ENTROPY_SUM} and its gradient. */
export interface BinaryCrossEntropySumAttrs {
  /** What the sum is multiplied by: `1 / size` for a mean, `1 / batch` for a per-example sum. */
  scale: number;
}

/** Where outputs are clipped before their logarithm is taken, as Keras does. */
export const PROBABILITY_EPSILON = 1e-7;

/**
 * The gradient of the binary cross-entropy with respect to the target,
 * `dy (log(1 - p) - log p)` for clipped outputs `p`: composed from ops on
 * every backend, since the target is data in aekit's training and tfjs asks
 * for it only when a target depends on the variables.
 */
function targetGradient(dy: tf.Tensor, clipped: tf.Tensor): tf.Tensor {
  return tf.mul(dy, tf.sub(tf.log(tf.sub(1, clipped)), tf.log(clipped)));
}

/**
 * How tfjs differentiates {@link BINARY_CROSS_ENTROPY}: the output
 * gradient by {@link BINARY_CROSS_ENTROPY_GRAD}, the target's composed.
 */
const gradConfig: tf.GradConfig = {
  kernelName: BINARY_CROSS_ENTROPY,
  inputsToSave: ['p', 't'],
  gradFunc: (dy, saved) => {
    const [p, t] = saved as [tf.Tensor, tf.Tensor];
    const upstream = tf.broadcastTo(dy as tf.Tensor, p.shape);
    return {
      p: () => tf.engine().runKernel(BINARY_CROSS_ENTROPY_GRAD, { p, t, dy: upstream }) as tf.Tensor,
      t: () => targetGradient(upstream, tf.clipByValue(p, PROBABILITY_EPSILON, 1 - PROBABILITY_EPSILON)),
    };
  },
};

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
      return [tf.div(tf.mul(dy, tf.sub(pc, target)), tf.mul(pc, tf.sub(1, pc))), targetGradient(dy, pc)];
    },
  };
}) as (p: tf.Tensor, t: tf.Tensor) => tf.Tensor;

/**
 * How tfjs differentiates {@link BINARY_CROSS_ENTROPY_SUM}: the output
 * gradient in one pass by {@link BINARY_CROSS_ENTROPY_SUM_GRAD}, the
 * target's composed as for the elementwise kernel.
 */
const sumGradConfig: tf.GradConfig = {
  kernelName: BINARY_CROSS_ENTROPY_SUM,
  inputsToSave: ['p', 't'],
  gradFunc: (dy, saved, attrs) => {
    const [p, t] = saved as [tf.Tensor, tf.Tensor];
    const { scale } = attrs as unknown as BinaryCrossEntropySumAttrs;
    return {
      p: () => tf.engine().runKernel(BINARY_CROSS_ENTROPY_SUM_GRAD, { p, t, dy: dy as tf.Tensor }, { scale } as unknown as tf.NamedAttrMap) as tf.Tensor,
      t: () => targetGradient(tf.mul(dy as tf.Tensor, scale), tf.clipByValue(p, PROBABILITY_EPSILON, 1 - PROBABILITY_EPSILON)),
    };
  },
};

/**
 * `scale * sum(bce(p, t))` as one kernel ({@link BINARY_CROSS_ENTROPY_SUM})
 * where the backend registers it and its gradient kernel and `p`, `t` are
 * float32 tensors of one shape; `undefined` elsewhere, for the caller to
 * compose the elementwise loss and reduce it.
 * @internal
 */
export function summedBinaryCrossEntropy(p: tf.Tensor, t: tf.Tensor, scale: number): tf.Scalar | undefined {
  const oneKernel =
    p.size > 0 &&
    p.dtype === 'float32' &&
    t.dtype === 'float32' &&
    tf.util.arraysEqual(p.shape, t.shape) &&
    backendHasKernel(BINARY_CROSS_ENTROPY_SUM) &&
    backendHasKernel(BINARY_CROSS_ENTROPY_SUM_GRAD);
  if (!oneKernel) return undefined;
  if (tf.getGradient(BINARY_CROSS_ENTROPY_SUM) !== sumGradConfig) tf.registerGradient(sumGradConfig);
  return tf.engine().runKernel(BINARY_CROSS_ENTROPY_SUM, { p, t }, { scale } as unknown as tf.NamedAttrMap) as tf.Scalar;
}

/**
 * The elementwise loss: one kernel where the backend registers
 * {@link BINARY_CROSS_ENTROPY} and its gradient kernel (a kernel package
 * such as `@aekit/kernels-wasm`), the same formula composed from ops
 * elsewhere (and for targets of another shape or dtype).
 * @internal
 */
export function elementwiseBinaryCrossEntropy(p: tf.Tensor, t: tf.Tensor): tf.Tensor {
  const oneKernel =
    p.dtype === 'float32' &&
    t.dtype === 'float32' &&
    tf.util.arraysEqual(p.shape, t.shape) &&
    backendHasKernel(BINARY_CROSS_ENTROPY) &&
    backendHasKernel(BINARY_CROSS_ENTROPY_GRAD);
  if (!oneKernel) return composedBce(p, t);
  if (tf.getGradient(BINARY_CROSS_ENTROPY) !== gradConfig) tf.registerGradient(gradConfig);
  return tf.engine().runKernel(BINARY_CROSS_ENTROPY, { p, t }) as tf.Tensor;
}
