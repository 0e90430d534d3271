import { binaryCrossEntropy, deriveSeed, gaussianKlPerDimension, range, tf, type Autoencoder, type Dataset } from '@aekit/core';

/**
 * The negative evidence lower bound of a dataset, in nats per example, and
 * its two parts. Lower is better.
 */
export interface NegativeElbo {
  /** `reconstruction + kl`: the negative ELBO, an upper bound on -log p(x). */
  total: number;
  /** Expected negative log-likelihood of the data under the decoder (binary cross-entropy summed over pixels). */
  reconstruction: number;
  /** KL divergence from q(z | x) to the unit gaussian prior, unweighted. */
  kl: number;
  /** The KL divergence of each latent dimension (they sum to `kl`): dimensions near 0 carry nothing. */
  klPerDimension: number[];
  /** Number of examples it was computed on. */
  samples: number;
}

/** Options of {@link evaluateElbo}. */
export interface EvaluateElboOptions {
  /** Examples per batch; 500 by default. */
  batchSize?: number;
  /** Seed of the one code drawn per example; 0 by default. */
  seed?: number;
}

const reconstructionTerm = binaryCrossEntropy({ reduction: 'sum' });

/**
 * Computes the negative ELBO of a VAE on a dataset with one seeded code
 * drawn per example, the way VAE papers and the Keras examples report test
 * loss. Unlike core's `evaluate`, the KL part is never weighted by `beta`
 * or a warm-up, so the total is the true bound whatever the model was
 * trained with.
 *
 * @param autoencoder - A model whose forward pass has `mean` and `logVar` extras.
 * @param data - Data in the model's input shape, values in [0, 1].
 * @param options - Batch size and seed.
 */
export async function evaluateElbo(autoencoder: Autoencoder, data: Dataset, options: EvaluateElboOptions = {}): Promise<NegativeElbo> {
  const batchSize = options.batchSize ?? 500;
  const seed = options.seed ?? 0;
  let reconstruction = 0;
  let perDimension: number[] = [];
  for (let start = 0, b = 0; start < data.size; start += batchSize, b++) {
    const indices = range(start, Math.min(start + batchSize, data.size));
    const sums = tf.tidy(() => {
      const x = data.batch(indices);
      const pass = autoencoder.forward(x, { training: false, seed: deriveSeed(seed, b) });
      const { mean, logVar } = pass.extras;
      if (!mean || !logVar) throw new Error(`evaluateElbo needs a forward pass with 'mean' and 'logVar' extras; '${autoencoder.family}' has none`);
      const bce = reconstructionTerm.compute(pass, x, { epoch: 0, training: false });
      return [tf.mul(bce, indices.length), tf.sum(gaussianKlPerDimension(mean, logVar), 0)];
    });
    const [r, k] = await Promise.all(sums.map((t) => t.data()));
    tf.dispose(sums);
    reconstruction += r[0];
    if (perDimension.length === 0) perDimension = new Array<number>(k.length).fill(0);
    k.forEach((v, i) => (perDimension[i] += v));
  }
  reconstruction /= data.size;
  const klPerDimension = perDimension.map((v) => v / data.size);
  const kl = klPerDimension.reduce((a, c) => a + c, 0);
  return { total: reconstruction + kl, reconstruction, kl, klPerDimension, samples: data.size };
}
