import { tf } from '../tf.js';
import { backendHasKernel } from './backend-has-kernel.js';

// A fully connected layer as one kernel forward and one backward: the
// contract between the op below (run by tfjs-layers' Dense layers, see
// dense-layer-route.ts) and the kernel packages that implement it. While
// gradients are recorded tfjs un-fuses its own fused product (`shouldFuse`
// in fused/mat_mul: only with no tape or a linear activation), so a Dense
// layer in training runs three kernels forward and about five back, each a
// dispatch through the engine and the tape and a pass over memory.

/**
 * `y = act(x kernel + bias)`. Inputs (float32): `x` `[n, in]`, `kernel`
 * `[in, out]` and, optionally, `bias` `[out]`; one output `y` `[n, out]`.
 * Attributes: {@link DenseAttrs}.
 */
export const DENSE = 'AekitDense';

/**
 * The gradient of {@link DENSE} but the input's. Inputs: `x`, the forward
 * output `y` and `dy` `[n, out]`. Outputs, in order: `dz` `[n, out]`, the
 * gradient before the activation (`dy * act'(y)`), `dKernel` `[in, out]`
 * (`x^T dz`) and, where {@link DenseAttrs.hasBias}, `dBias` `[out]` (the
 * column sums of `dz`). The activation's derivative is taken from `y`
 * (relu `y > 0`, sigmoid `y (1 - y)`, tanh `1 - y²`, elu 1 where `y > 0`
 * else `y + 1`), a NaN in `y` kept in the gradient as tfjs' ReLU gradient
 * keeps it. The input's gradient `dz kernel^T` is one product more, run only
 * where the tape asks for it: a model's first layer, whose input is data,
 * never needs it, and computing it there would cost as much as the layer's
 * forward product.
 */
export const DENSE_GRAD = 'AekitDenseGrad';

/** The activations {@link DENSE} ends with, by tfjs-layers' names. */
export const DENSE_ACTIVATIONS = ['linear', 'relu', 'sigmoid', 'tanh', 'elu'] as const;

/** One of {@link DENSE_ACTIVATIONS}. */
export type DenseActivation = (typeof DENSE_ACTIVATIONS)[number];

/** The attributes of {@link DENSE} and {@link DENSE_GRAD}. */
export interface DenseAttrs {
  /** The activation applied after the bias. */
  activation: DenseActivation;
  /** Whether the layer has a bias (the gradient then has a third output). */
  hasBias: boolean;
}

const gradConfig: tf.GradConfig = {
  kernelName: DENSE,
  inputsToSave: ['x', 'kernel'],
  outputsToSave: [true],
  gradFunc: (dy, saved, attrs) => {
    const [x, kernel, y] = saved as tf.Tensor[];
    // One kernel gives the weights' gradients, so it runs here rather than in
    // each input's thunk; tfjs calls the input's thunk only where the input
    // leads to a variable (not for a model's first layer).
    const [dz, dKernel, dBias] = tf.engine().runKernel(DENSE_GRAD, { x: x!, y: y!, dy: dy as tf.Tensor }, attrs) as tf.Tensor[];
    return { x: () => tf.matMul(dz!, kernel!, false, true), kernel: () => dKernel!, bias: () => dBias! };
  },
};

/**
 * `act(x kernel + bias)` as one kernel ({@link DENSE}), differentiable by one
 * kernel ({@link DENSE_GRAD}). Callers check {@link denseAvailable} first.
 *
 * @param x - `[n, in]`, float32.
 * @param kernel - `[in, out]`.
 * @param bias - `[out]`, or null for a layer without one.
 * @param activation - One of {@link DENSE_ACTIVATIONS}.
 * @returns `[n, out]`.
 * @example
 * ```ts
 * import { tf } from '@aekit/core';
 * import { dense, denseAvailable } from '@aekit/core/kernels';
 *
 * if (denseAvailable()) {
 *   const y = dense(tf.ones([4, 3]), tf.ones([3, 2]), tf.zeros([2]), 'relu');
 *   y.shape; // [4, 2]
 * }
 * ```
 */
export function dense(x: tf.Tensor, kernel: tf.Tensor, bias: tf.Tensor | null, activation: DenseActivation): tf.Tensor {
  if (tf.getGradient(DENSE) !== gradConfig) tf.registerGradient(gradConfig);
  const attrs: DenseAttrs = { activation, hasBias: bias !== null };
  const inputs: tf.NamedTensorMap = bias ? { x, kernel, bias } : { x, kernel };
  return tf.engine().runKernel(DENSE, inputs, attrs as unknown as tf.NamedAttrMap) as tf.Tensor;
}

/**
 * Whether the backend in use runs {@link DENSE} and its gradient.
 *
 * @example
 * ```ts
 * import { useBackend } from '@aekit/core';
 * import { denseAvailable } from '@aekit/core/kernels';
 *
 * await useBackend('cpu');
 * denseAvailable(); // false: tfjs' own Dense runs
 * ```
 */
export function denseAvailable(): boolean {
  return backendHasKernel(DENSE) && backendHasKernel(DENSE_GRAD);
}
