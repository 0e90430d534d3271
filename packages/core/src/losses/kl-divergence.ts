import { tf } from '../tf.js';
import type { LossTerm, LossState } from '../loss.js';

/**
 * KL divergence from a diagonal gaussian `N(mean, exp(logVar))` to the unit
 * gaussian, summed over latent dimensions and averaged over the batch:
 * `-0.5 * sum(1 + logVar - mean^2 - exp(logVar))`. Reads the `mean` and
 * `logVar` extras of the forward pass.
 *
 * @param options.beta - Weight of the term (beta-VAE), 1 by default.
 * @param options.warmupEpochs - Ramps the weight linearly from 0 to `beta`
 *   over this many epochs (KL warm-up); 0 (default) means no ramp.
 * @param options - Weight and warm-up of the term; all optional.
 */
export function klDivergence(options: { beta?: number; warmupEpochs?: number } = {}): LossTerm {
  const beta = options.beta ?? 1;
  const warmup = options.warmupEpochs ?? 0;
  return {
    name: 'kl',
    compute(pass, _target, state: LossState) {
      const { mean, logVar } = pass.extras;
      if (!mean || !logVar) throw new Error("klDivergence needs the forward pass's 'mean' and 'logVar' extras");
      const weight = state.training && warmup > 0 ? beta * Math.min(1, (state.epoch + 1) / warmup) : beta;
      return tf.tidy(() => tf.mul(tf.mean(gaussianKl(mean, logVar)), weight) as tf.Scalar);
    },
  };
}

/**
 * Closed-form KL divergence per example, for tests and reports.
 * @param mean - `[batch, d]` means.
 * @param logVar - `[batch, d]` log-variances.
 */
export function gaussianKl(mean: tf.Tensor, logVar: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.mul(tf.sum(tf.sub(tf.sub(tf.add(1, logVar), tf.square(mean)), tf.exp(logVar)), -1), -0.5));
}
