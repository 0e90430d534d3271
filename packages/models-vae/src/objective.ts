import { binaryCrossEntropy, composeLoss, klDivergence, type Loss } from '@aekit/core';

/** Settings of the VAE objective shared by every family here. */
export interface VaeObjectiveOptions {
  /** Weight of the KL term (beta-VAE); 1 is the true negative ELBO. */
  beta: number;
  /** Epochs over which the KL weight ramps linearly from 0 up to `beta`; 0 for none. */
  klWarmupEpochs: number;
  /** Nats each latent dimension's KL counts as at least, in training (free bits); 0 for the plain KL. */
  freeBits?: number;
}

/**
 * The VAE training objective, the negative evidence lower bound in nats per
 * example: binary cross-entropy summed over the pixels (term `bce`, the
 * reconstruction log-likelihood of a Bernoulli decoder) plus `beta` times the
 * KL divergence from q(z | x) to the unit gaussian prior (term `kl`), with
 * an optional linear KL warm-up and free bits during training.
 *
 * @param options - Beta and warm-up length.
 */
export function vaeLoss(options: VaeObjectiveOptions): Loss {
  return composeLoss(
    binaryCrossEntropy({ reduction: 'sum' }),
    klDivergence({ beta: options.beta, warmupEpochs: options.klWarmupEpochs, freeBits: options.freeBits }),
  );
}
