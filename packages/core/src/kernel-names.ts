/**
 * The kernels aekit defines beyond tfjs' own, by name, with their inputs
 * and attributes: the contract between the code that runs them (a loss, a
 * gradient, the optimizer) and the backends that register them, as tfjs'
 * `kernel_names` is for its own. A backend without one gets the same
 * result composed from tfjs ops.
 */

import { tf } from './tf.js';

/** Whether the backend in use registers kernel `name`; where it does not, callers compose the same result from tfjs ops. @internal */
export function backendHasKernel(name: string): boolean {
  return tf.getKernel(name, tf.getBackend()) !== undefined;
}

/** Elementwise binary cross-entropy: inputs `p` (outputs) and `t` (targets), `p` clipped to `[PROBABILITY_EPSILON, 1 - PROBABILITY_EPSILON]`. @internal */
export const BINARY_CROSS_ENTROPY = 'AekitBinaryCrossEntropy';

/** Its gradient for the outputs, `dy (p - t) / (p (1 - p))` with `p` clipped: inputs `p`, `t`, `dy`. @internal */
export const BINARY_CROSS_ENTROPY_GRAD = 'AekitBinaryCrossEntropyGrad';

/** Where outputs are clipped before their logarithm is taken, as Keras does. @internal */
export const PROBABILITY_EPSILON = 1e-7;

/** The ReLU's gradient, `dy * step(x)` (NaN where `x` is NaN): inputs `x`, `dy`. @internal */
export const RELU_GRAD = 'AekitReluGrad';

/** One Adam step for a variable: inputs `value`, `m`, `v`, `gradient`; outputs the new value, `m` and `v`. @internal */
export const ADAM_UPDATE = 'AekitAdamUpdate';

/** The attributes of {@link ADAM_UPDATE}: the hyperparameters, and `1 - beta^t` for the bias corrections. @internal */
export interface AdamUpdateAttrs {
  beta1: number;
  beta2: number;
  epsilon: number;
  learningRate: number;
  /** `1 - beta1^t`, as the float32 tfjs keeps. */
  c1: number;
  /** `1 - beta2^t`. */
  c2: number;
}
