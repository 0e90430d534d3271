import { tf } from '../tf.js';
import type { LossTerm } from '../loss.js';
import { elementwiseBinaryCrossEntropy } from '../kernel-contracts/binary-cross-entropy.js';
import { reduceElementwise, type Reduction } from './reduce.js';

/**
 * Binary cross-entropy between the reconstruction (probabilities in [0, 1])
 * and the target, the classic loss for MNIST autoencoders.
 *
 * @param options.reduction - `mean` (default) or `sum`; see {@link Reduction}.
 * @param options.name - Term name, `bce` by default.
 * @param options - How the term reduces over pixels and what it is called; all optional.
 */
export function binaryCrossEntropy(options: { reduction?: Reduction; name?: string } = {}): LossTerm {
  const reduction = options.reduction ?? 'mean';
  return {
    name: options.name ?? 'bce',
    compute(pass, target) {
      return tf.tidy(() => reduceElementwise(elementwiseBinaryCrossEntropy(pass.output, target), reduction, pass.extras.mask));
    },
  };
}
