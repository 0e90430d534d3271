import { tf } from '../tf.js';
import type { LossTerm } from '../loss.js';
import { reduceElementwise, type Reduction } from './reduce.js';

/**
 * Mean squared error between reconstruction and target. When the forward
 * pass carries a `mask` extra (1 = real, 0 = padding), padding does not count.
 *
 * @param options.reduction - `mean` (default) or `sum`; see {@link Reduction}.
 * @param options.name - Term name, `mse` by default.
 * @param options - How the term reduces over values and what it is called; all optional.
 * @example
 * ```ts
 * import { meanSquaredError, tf } from '@aekit/core';
 *
 * const mse = meanSquaredError();
 * const target = tf.tensor2d([[1, 0]]);
 * const pass = { input: target, output: tf.tensor2d([[0.9, 0.2]]), code: tf.zeros([1, 2]), extras: {} };
 * mse.compute(pass, target, { epoch: 0, training: true }).dataSync()[0]; // 0.025 = (0.1² + 0.2²) / 2
 * ```
 */
export function meanSquaredError(options: { reduction?: Reduction; name?: string } = {}): LossTerm {
  const reduction = options.reduction ?? 'mean';
  return {
    name: options.name ?? 'mse',
    compute(pass, target) {
      return tf.tidy(() => reduceElementwise(tf.squaredDifference(pass.output, target), reduction, pass.extras.mask));
    },
  };
}
