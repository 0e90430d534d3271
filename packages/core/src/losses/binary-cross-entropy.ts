import { tf } from '../tf.js';
import type { LossTerm } from '../loss.js';
import { reduceElementwise, type Reduction } from './reduce.js';

/** Keeps log() finite for outputs of exactly 0 or 1, as Keras does. */
const EPSILON = 1e-7;

/**
 * Binary cross-entropy between the reconstruction (probabilities in [0, 1])
 * and the target, the classic loss for MNIST autoencoders.
 *
 * @param options.reduction - `mean` (default) or `sum`; see {@link Reduction}.
 * @param options.name - Term name, `bce` by default.
 */
export function binaryCrossEntropy(options: { reduction?: Reduction; name?: string } = {}): LossTerm {
  const reduction = options.reduction ?? 'mean';
  return {
    name: options.name ?? 'bce',
    compute(pass, target) {
      return tf.tidy(() => {
        const p = tf.clipByValue(pass.output, EPSILON, 1 - EPSILON);
        const error = tf.neg(tf.add(tf.mul(target, tf.log(p)), tf.mul(tf.sub(1, target), tf.log(tf.sub(1, p)))));
        return reduceElementwise(error, reduction, pass.extras.mask);
      });
    },
  };
}
