import { tf } from '../tf.js';
import type { ForwardPass } from '../autoencoder.js';
import type { LossTerm } from '../loss.js';

/**
 * Contractive penalty, `weight * mean over the batch of ||J||_F^2`, where J
 * is the Jacobian of the code with respect to the input (Rifai et al. 2011).
 * The family supplies the squared Frobenius norm per example, because only
 * it knows the encoder's form; see {@link sigmoidJacobianFrobeniusSquared}.
 *
 * @param weight - Penalty weight (lambda).
 * @param jacobianFrobeniusSquared - `[batch]` tensor of `||J(x_i)||_F^2`.
 * @example
 * ```ts
 * import { contractivePenalty, sigmoidJacobianFrobeniusSquared, tf } from '@aekit/core';
 *
 * declare const encoderKernel: tf.Tensor; // W of the encoder's sigmoid dense layer, [inputs, units]
 * // The family knows its encoder: h = sigmoid(x W + b), so the Jacobian has a closed form.
 * const penalty = contractivePenalty(1e-4, (pass) => sigmoidJacobianFrobeniusSquared(pass.code, encoderKernel));
 * penalty.name; // 'contractive'
 * ```
 */
export function contractivePenalty(
  weight: number,
  jacobianFrobeniusSquared: (pass: ForwardPass) => tf.Tensor,
): LossTerm {
  return {
    name: 'contractive',
    compute(pass) {
      return tf.tidy(() => tf.mul(tf.mean(jacobianFrobeniusSquared(pass)), weight) as tf.Scalar);
    },
  };
}

/**
 * Exact squared Frobenius norm of the Jacobian of `h = sigmoid(x W + b)`
 * with respect to `x`, per example: `sum_j (h_j (1 - h_j))^2 * sum_i W_ij^2`.
 * This is the closed form, not a finite-difference estimate.
 *
 * @param code - Sigmoid activations `[batch, units]`.
 * @param kernel - The encoder kernel `W`, `[inputs, units]`.
 * @example
 * ```ts
 * import { sigmoidJacobianFrobeniusSquared, tf } from '@aekit/core';
 *
 * const code = tf.tensor2d([[0.5, 0.5]]); // sigmoid activations of one example
 * const kernel = tf.tensor2d([[1, 0], [0, 2]]); // W, [2 inputs, 2 units]
 * sigmoidJacobianFrobeniusSquared(code, kernel).arraySync(); // [0.3125] = 0.25² * 1 + 0.25² * 4
 * ```
 */
export function sigmoidJacobianFrobeniusSquared(code: tf.Tensor, kernel: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const slope = tf.square(tf.mul(code, tf.sub(1, code)));
    const columnNorms = tf.sum(tf.square(kernel), 0);
    return tf.sum(tf.mul(slope, columnNorms), 1);
  });
}
