import { tf } from '../tf.js';
import type { Autoencoder } from '../autoencoder.js';
import { range, sizeOfShape, type Dataset } from '../dataset.js';
import type { NoiseSpec } from '../noise.js';
import { deriveSeed } from '../random.js';
import { modelInput } from '../trainer/evaluate.js';
import { fitPca, type Pca } from './pca.js';

/** The losses of the two models every autoencoder has to beat, on the same test data and by its own reconstruction term. */
export interface BaselineLosses {
  /** The term compared: the autoencoder's reconstruction term (the first of its loss), e.g. `bce` or `mse`. */
  term: string;
  /** The term when every output is the mean of the training examples. */
  mean: number;
  /** The term when each output is the PCA reconstruction of the input from as many numbers as the code has (absent when not fitted). */
  pca?: { components: number; loss: number };
}

/** Options of {@link fitBaselines}. */
export interface FitBaselinesOptions {
  /** Principal components to fit, usually the autoencoder's code size; 0 or undefined fits only the mean. */
  components?: number;
  /** Examples read at a time; 512 by default. */
  batchSize?: number;
  /** Seed of the PCA's random start; 0 by default. */
  seed?: number;
}

/**
 * Fits the baselines of a run to its training examples: their mean and, with
 * `components`, a PCA of that size ({@link fitPca}); the mean is the PCA's
 * reconstruction from 0 components. Reads the data in batches.
 *
 * @example
 * ```ts
 * import { fitBaselines, type Dataset } from '@aekit/core';
 *
 * declare const train: Dataset; // the examples the autoencoder trains on
 * const fitted = await fitBaselines(train, { components: 8 }); // the mean, and a PCA as large as an 8-value code
 * fitted.mean; // Float32Array of one value per feature
 * ```
 * @param train - The examples the autoencoder trained on (not its validation or test examples).
 * @param options - Number of components, batch size and seed.
 */
export function fitBaselines(train: Dataset, options: FitBaselinesOptions = {}): Promise<Pca> {
  return fitPca(train, { components: options.components ?? 0, batchSize: options.batchSize, seed: options.seed });
}

/** Options of {@link evaluateBaselines}. */
export interface EvaluateBaselinesOptions {
  /** Noise of a denoising run: the PCA reconstructs the same corrupted inputs the model gets in `evaluate`. */
  noise?: NoiseSpec;
  /** Seed of the run (the noise's, as `evaluate` draws it); 0 by default. */
  seed?: number;
  /** Examples per batch; 256 by default. */
  batchSize?: number;
}

/**
 * The autoencoder's reconstruction term (the first term of its loss) when
 * the output is the training mean, and when it is the PCA reconstruction of
 * the input, over a test set: the numbers to print beside its test loss. A
 * denoiser's PCA sees the corrupted inputs, drawn as `evaluate` draws them,
 * and is scored against the clean targets, like the model.
 *
 * @example
 * ```ts
 * import { evaluate, evaluateBaselines, fitBaselines, type Autoencoder, type Dataset } from '@aekit/core';
 *
 * declare const autoencoder: Autoencoder; // trained on `train`, code of 8 values
 * declare const train: Dataset;
 * declare const test: Dataset;
 * const fitted = await fitBaselines(train, { components: 8 });
 * const baselines = await evaluateBaselines(autoencoder, test, fitted); // { term: 'mse', mean, pca: { components: 8, loss } }
 * const { terms } = await evaluate(autoencoder, test);
 * console.log(`test ${terms[baselines.term]}, mean ${baselines.mean}, PCA ${baselines.pca?.loss}`); // the model should beat both
 * ```
 * @param autoencoder - The model whose loss term is used (its weights are not).
 * @param test - Test data in the model's input shape.
 * @param fitted - The mean and PCA from {@link fitBaselines}.
 * @param options - Noise, seed and batch size of the run.
 */
export async function evaluateBaselines(autoencoder: Autoencoder, test: Dataset, fitted: Pca, options: EvaluateBaselinesOptions = {}): Promise<BaselineLosses> {
  const term = autoencoder.loss.terms[0];
  const batchSize = options.batchSize ?? 256;
  const seed = options.seed ?? 0;
  const state = { epoch: Number.MAX_SAFE_INTEGER, training: false };
  let meanSum = 0;
  let pcaSum = 0;
  for (let start = 0, b = 0; start < test.size; start += batchSize, b++) {
    const indices = range(start, Math.min(start + batchSize, test.size));
    const values = tf.tidy(() => {
      const target = test.batch(indices);
      const input = modelInput(test, indices, target, options.noise, deriveSeed(seed, -1, b));
      const code = tf.zeros([indices.length, 1]);
      const score = (output: tf.Tensor) => term.compute({ input, output, code, extras: {} }, target, state);
      return [score(fitted.reconstruct(input, 0)), score(fitted.reconstruct(input))];
    });
    const [m, p] = await Promise.all(values.map((t) => t.data()));
    tf.dispose(values);
    meanSum += m[0] * indices.length;
    pcaSum += p[0] * indices.length;
  }
  const n = Math.max(1, test.size);
  return { term: term.name, mean: meanSum / n, ...(fitted.size > 0 ? { pca: { components: fitted.size, loss: pcaSum / n } } : {}) };
}

/** Per-item anomaly scores of the baselines; see {@link baselineScores}. */
export interface BaselineScores {
  /** Mean squared distance of each item to the training mean. */
  distanceToMean: Float32Array;
  /** Mean squared error of each item's PCA reconstruction (absent without components). */
  pcaError?: Float32Array;
}

/**
 * Scores every item of a dataset the way `ae score` scores it with an
 * autoencoder (mean squared error per item), with the two baselines: the
 * squared distance to the training mean, and the PCA reconstruction error.
 * Their ROC AUC is what an autoencoder's has to beat.
 *
 * @example
 * ```ts
 * import { baselineScores, fitBaselines, rocAuc, type Dataset } from '@aekit/core';
 *
 * declare const train: Dataset; // normal items only
 * declare const test: Dataset; // normal and anomalous items
 * declare const labels: Uint8Array; // 1 for anomalous
 * const { distanceToMean, pcaError } = await baselineScores(test, await fitBaselines(train, { components: 8 }));
 * rocAuc(distanceToMean, labels); // the AUC an autoencoder's scores have to beat, as rocAuc(pcaError!, labels)
 * ```
 * @param data - Items in any shape with the fitted number of values.
 * @param fitted - The mean and PCA from {@link fitBaselines}.
 * @param batchSize - Items per batch; 256 by default.
 */
export async function baselineScores(data: Dataset, fitted: Pca, batchSize = 256): Promise<BaselineScores> {
  const distanceToMean = new Float32Array(data.size);
  const pcaError = fitted.size > 0 ? new Float32Array(data.size) : undefined;
  const d = sizeOfShape(data.exampleShape);
  for (let start = 0; start < data.size; start += batchSize) {
    const indices = range(start, Math.min(start + batchSize, data.size));
    const errors = tf.tidy(() => {
      const x = tf.reshape(data.batch(indices), [indices.length, d]);
      const perItem = (output: tf.Tensor) => tf.mean(tf.squaredDifference(output, x), 1);
      return [perItem(fitted.reconstruct(x, 0)), ...(pcaError ? [perItem(fitted.reconstruct(x))] : [])];
    });
    const values = await Promise.all(errors.map((t) => t.data()));
    tf.dispose(errors);
    distanceToMean.set(values[0], start);
    if (pcaError) pcaError.set(values[1], start);
  }
  return { distanceToMean, ...(pcaError ? { pcaError } : {}) };
}
