import { tf } from '../tf.js';
import type { LossTerm } from '../loss.js';
import { elementwiseBinaryCrossEntropy, summedBinaryCrossEntropy } from '../kernel-contracts/binary-cross-entropy.js';
import { reduceElementwise, type Reduction } from './reduce.js';

/**
 * Binary cross-entropy between the reconstruction (probabilities in [0, 1])
 * and the target, the classic loss for MNIST autoencoders. Without a mask,
 * on a backend whose kernel package registers the summed kernel
 * (`AekitBinaryCrossEntropySum`, as `@aekit/kernels-wasm` and
 * `@aekit/kernels-native` do), the loss and its gradient are one kernel
 * each; elsewhere the elementwise loss is reduced by tfjs ops.
 *
 * @param options.reduction - `mean` (default) or `sum`; see {@link Reduction}.
 * @param options.name - Term name, `bce` by default.
 * @param options - How the term reduces over pixels and what it is called; all optional.
 * @example
 * ```ts
 * import { binaryCrossEntropy, tf } from '@aekit/core';
 *
 * const bce = binaryCrossEntropy(); // { reduction: 'sum' } for nats per example, as VAE papers report
 * const target = tf.tensor2d([[1, 0]]);
 * const pass = { input: target, output: tf.tensor2d([[0.9, 0.2]]), code: tf.zeros([1, 2]), extras: {} };
 * bce.compute(pass, target, { epoch: 0, training: true }).dataSync()[0]; // 0.164 = -(ln 0.9 + ln 0.8) / 2
 * ```
 */
export function binaryCrossEntropy(options: { reduction?: Reduction; name?: string } = {}): LossTerm {
  const reduction = options.reduction ?? 'mean';
  return {
    name: options.name ?? 'bce',
    compute(pass, target) {
      return tf.tidy(() => {
        const mask = pass.extras.mask;
        // Without a mask, one kernel each way where the backend has it: no [batch, ...] loss tensor, no reduction kernels.
        const scale = reduction === 'sum' ? 1 / (pass.output.shape[0] ?? 1) : 1 / pass.output.size;
        const summed = mask ? undefined : summedBinaryCrossEntropy(pass.output, target, scale);
        return summed ?? reduceElementwise(elementwiseBinaryCrossEntropy(pass.output, target), reduction, mask);
      });
    },
  };
}
