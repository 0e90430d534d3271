import { tf } from '../tf.js';
import type { Autoencoder } from '../autoencoder.js';
import { range, type Dataset } from '../dataset.js';
import { applyNoise, type NoiseSpec } from '../noise.js';
import { deriveSeed } from '../random.js';

/** Options of {@link evaluate}. */
export interface EvaluateOptions {
  /** Examples per batch; 256 by default. */
  batchSize?: number;
  /** Corrupt inputs as in training (the target stays clean). */
  noise?: NoiseSpec;
  /** Seed of the noise and of any sampling; 0 by default. */
  seed?: number;
  /** Epoch passed to scheduled loss terms; evaluation uses their full weight. */
  epoch?: number;
}

/** Mean loss over a dataset, total and per term. */
export interface Evaluation {
  loss: number;
  terms: Record<string, number>;
  samples: number;
}

/**
 * The input a model sees for a batch whose target is `target`: the
 * dataset's paired inputs where it has them, else the target corrupted by
 * `noise`, else the target itself (a plain autoencoder).
 *
 * @example
 * ```ts
 * import { modelInput, type Dataset } from '@aekit/core';
 *
 * declare const data: Dataset; // e.g. MNIST images [28, 28, 1]
 * const target = data.batch([0, 1, 2, 3]);
 * const input = modelInput(data, [0, 1, 2, 3], target, { type: 'gaussian', factor: 0.3 }, 0); // a denoiser's corrupted input
 * const same = modelInput(data, [0, 1, 2, 3], target, undefined, 0); // a plain autoencoder's: `target` itself
 * ```
 * @param data - The dataset the batch comes from.
 * @param indices - The batch's indices.
 * @param target - `data.batch(indices)`.
 * @param noise - Noise to corrupt the target with, if the data is not paired.
 * @param seed - Seed of the noise.
 */
export function modelInput(data: Dataset, indices: ArrayLike<number>, target: tf.Tensor, noise: NoiseSpec | undefined, seed: number): tf.Tensor {
  if (data.inputs) return data.inputs(indices);
  return noise ? applyNoise(target, noise, seed) : target;
}

/**
 * Computes the mean loss of an autoencoder over a whole dataset, batch by
 * batch, weighting each batch by its size.
 *
 * @example
 * ```ts
 * import { evaluate, type Autoencoder, type Dataset } from '@aekit/core';
 *
 * declare const ae: Autoencoder; // trained with fit, or loaded with loadAutoencoder
 * declare const test: Dataset; // held-out data
 * const { loss, terms } = await evaluate(ae, test.reshape(ae.inputShape), { batchSize: 256 });
 * console.log(`test loss ${loss.toFixed(4)}`, terms);
 * ```
 * @param autoencoder - The model to evaluate.
 * @param data - Data in the model's input shape.
 * @param options - Batch size, noise and seed.
 */
export async function evaluate(autoencoder: Autoencoder, data: Dataset, options: EvaluateOptions = {}): Promise<Evaluation> {
  const batchSize = options.batchSize ?? 256;
  const seed = options.seed ?? 0;
  let total = 0;
  const terms: Record<string, number> = {};
  for (let start = 0, b = 0; start < data.size; start += batchSize, b++) {
    const indices = range(start, Math.min(start + batchSize, data.size));
    const values = tf.tidy(() => {
      const x = data.batch(indices);
      const input = modelInput(data, indices, x, options.noise, deriveSeed(seed, -1, b));
      const pass = autoencoder.forward(input, { training: false, seed: deriveSeed(seed, -1, b, 1) });
      const value = autoencoder.loss.compute(pass, x, { epoch: options.epoch ?? Number.MAX_SAFE_INTEGER, training: false });
      return [value.total, ...Object.values(value.terms)];
    });
    const numbers = await Promise.all(values.map((t) => t.data()));
    tf.dispose(values);
    total += numbers[0][0] * indices.length;
    autoencoder.loss.terms.forEach((term, i) => {
      terms[term.name] = (terms[term.name] ?? 0) + numbers[i + 1][0] * indices.length;
    });
  }
  for (const name of Object.keys(terms)) terms[name] /= data.size;
  return { loss: total / data.size, terms, samples: data.size };
}
