import { tf } from '../tf.js';
import type { LossTerm } from '../loss.js';

/**
 * L1 activity penalty on the code, `weight * sum(|code|) / batchSize`, as
 * Keras' `activity_regularizer=l1(weight)`: it drives most code units to
 * zero for each input, which is what makes a sparse autoencoder sparse.
 *
 * @param weight - Penalty weight; 1e-5 in the classic MNIST tutorial.
 * @example
 * ```ts
 * import { l1ActivityPenalty, tf } from '@aekit/core';
 *
 * const l1 = l1ActivityPenalty(0.1); // 1e-5 for a sparse autoencoder on MNIST
 * const x = tf.zeros([1, 2]);
 * const pass = { input: x, output: x, code: tf.tensor2d([[0.5, -1.5]]), extras: {} };
 * l1.compute(pass, x, { epoch: 0, training: true }).dataSync()[0]; // 0.2 = 0.1 * (0.5 + 1.5) / 1 example
 * ```
 */
export function l1ActivityPenalty(weight: number): LossTerm {
  return {
    name: 'l1',
    compute(pass) {
      return tf.tidy(() => tf.mul(tf.div(tf.sum(tf.abs(pass.code)), pass.code.shape[0] ?? 1), weight) as tf.Scalar);
    },
  };
}
