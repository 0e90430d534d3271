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
 * @param options.freeBits - In training, each latent dimension's KL
 *   (averaged over the batch) counts as at least this many nats, so the
 *   optimizer gains nothing by squeezing a dimension below it and the
 *   posterior does not collapse onto the prior (Kingma et al. 2016, "free
 *   bits"); 0 (default) for the plain KL. Evaluation reports the plain KL.
 * @param options - Weight, warm-up and free bits of the term; all optional.
 * @example
 * ```ts
 * import { binaryCrossEntropy, composeLoss, klDivergence } from '@aekit/core';
 *
 * // A beta-VAE's objective, its KL weight ramped up over the first 10 epochs.
 * const loss = composeLoss(binaryCrossEntropy({ reduction: 'sum' }), klDivergence({ beta: 4, warmupEpochs: 10 }));
 * loss.terms.map((term) => term.name); // ['bce', 'kl']
 * ```
 */
export function klDivergence(options: { beta?: number; warmupEpochs?: number; freeBits?: number } = {}): LossTerm {
  const beta = options.beta ?? 1;
  const warmup = options.warmupEpochs ?? 0;
  const freeBits = options.freeBits ?? 0;
  return {
    name: 'kl',
    compute(pass, _target, state: LossState) {
      const { mean, logVar } = pass.extras;
      if (!mean || !logVar) throw new Error("klDivergence needs the forward pass's 'mean' and 'logVar' extras");
      const weight = state.training && warmup > 0 ? beta * Math.min(1, (state.epoch + 1) / warmup) : beta;
      return tf.tidy(() => {
        if (!state.training || freeBits <= 0) return tf.mul(tf.mean(gaussianKl(mean, logVar)), weight) as tf.Scalar;
        const perDimension = tf.mean(gaussianKlPerDimension(mean, logVar), 0);
        return tf.mul(tf.sum(tf.maximum(perDimension, freeBits)), weight) as tf.Scalar;
      });
    },
  };
}

/**
 * Closed-form KL divergence of each latent dimension of each example, `[batch, d]`.
 * @param mean - `[batch, d]` means.
 * @param logVar - `[batch, d]` log-variances.
 * @example
 * ```ts
 * import { gaussianKlPerDimension, tf } from '@aekit/core';
 *
 * const mean = tf.tensor2d([[0, 1]]);
 * const logVar = tf.tensor2d([[0, 0]]);
 * gaussianKlPerDimension(mean, logVar).arraySync(); // [[0, 0.5]]: only the shifted dimension costs
 * ```
 */
export function gaussianKlPerDimension(mean: tf.Tensor, logVar: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.mul(tf.sub(tf.sub(tf.add(1, logVar), tf.square(mean)), tf.exp(logVar)), -0.5));
}

/**
 * Closed-form KL divergence per example, for tests and reports.
 * @param mean - `[batch, d]` means.
 * @param logVar - `[batch, d]` log-variances.
 * @example
 * ```ts
 * import { gaussianKl, tf } from '@aekit/core';
 *
 * const mean = tf.tensor2d([[0, 1]]);
 * const logVar = tf.tensor2d([[0, 0]]);
 * gaussianKl(mean, logVar).arraySync(); // [0.5] nats for the one example
 * ```
 */
export function gaussianKl(mean: tf.Tensor, logVar: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.sum(gaussianKlPerDimension(mean, logVar), -1));
}
