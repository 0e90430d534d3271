import { EigenvalueDecomposition, Matrix, QrDecomposition } from 'ml-matrix';
import { tf } from '../tf.js';
import { range, sizeOfShape, type Dataset } from '../dataset.js';
import { ConfigError } from '../errors.js';
import { createRng } from '../random.js';

/** Options of {@link fitPca}. */
export interface PcaOptions {
  /** Number of principal components to keep (the code size to compare with). */
  components: number;
  /** Examples read at a time; 512 by default. */
  batchSize?: number;
  /** Passes of subspace iteration for wide data; 4 by default. */
  iterations?: number;
  /** Extra directions iterated beside the kept ones, for accuracy; 10 by default. */
  oversampling?: number;
  /** Seed of the random start; 0 by default. */
  seed?: number;
}

/** Up to this many features, the covariance matrix is formed and decomposed exactly. */
const EXACT_FEATURES = 128;

/**
 * A principal component analysis of flattened examples: the mean and the
 * leading directions of variance. `reconstruct` is the best linear
 * reconstruction from `components` numbers, the baseline an autoencoder with
 * a code of that size has to beat.
 *
 * @example
 * ```ts
 * import { ArrayDataset, fitPca, tf } from '@aekit/core';
 *
 * // 200 rows of 3 values on the plane z = x + y: 2 components explain them
 * const rows = Array.from({ length: 200 }, (_, n) => [Math.sin(n), Math.cos(3 * n), Math.sin(n) + Math.cos(3 * n)]);
 * const pca = await fitPca(new ArrayDataset(Float32Array.from(rows.flat()), [3]), { components: 2 });
 * pca.size; // 2 (pca.features: 3)
 * pca.reconstruct(tf.tensor2d([[1, 0, 1]])).print(); // [[1, 0, 1]]: on the plane, nothing lost
 * ```
 */
export class Pca {
  /**
   * @param mean - Mean of each feature over the fitted examples.
   * @param components - The directions, `k` rows of `d` values, largest variance first, orthonormal.
   * @param variances - Variance of the data along each direction.
   * @param range - Smallest and largest value of the fitted data, which reconstructions are clipped to (images stay in [0, 1]).
   */
  constructor(
    readonly mean: Float32Array,
    readonly components: Float32Array,
    readonly variances: Float64Array,
    readonly range: readonly [number, number] = [Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY],
  ) {}

  /** Number of kept components. */
  get size(): number {
    return this.variances.length;
  }

  /** Number of features of an example. */
  get features(): number {
    return this.mean.length;
  }

  /**
   * Projects a batch onto the first `components` directions and back,
   * `mean + (x - mean) V^T V`, clipped to the range of the fitted data. With
   * 0 components every example becomes the mean. The result has the
   * batch's shape; the caller owns it.
   *
   * @param x - A batch `[n, ...exampleShape]` with `features` values an example.
   * @param components - How many of the kept directions to use; all by default.
   */
  reconstruct(x: tf.Tensor, components: number = this.size): tf.Tensor {
    const k = Math.max(0, Math.min(components, this.size));
    return tf.tidy(() => {
      const n = x.shape[0] ?? 1;
      const mean = tf.tensor1d(this.mean);
      const centred = tf.sub(tf.reshape(x, [n, this.features]), mean);
      let projected = tf.zerosLike(centred);
      if (k > 0) {
        const v = tf.tensor2d(this.components.subarray(0, k * this.features), [k, this.features]);
        projected = tf.matMul(tf.matMul(centred, v, false, true), v);
      }
      return tf.reshape(tf.clipByValue(tf.add(projected, mean), this.range[0], this.range[1]), x.shape);
    });
  }
}

/**
 * Fits a PCA to a dataset, reading it in batches, so that data held on disk
 * never has to be in memory at once. Up to 128 features the covariance
 * matrix is formed in one pass and decomposed exactly; wider data (images)
 * uses randomized subspace iteration (Halko, Martinsson and Tropp 2011,
 * algorithm 4.4): each pass multiplies the centred data's scatter matrix by
 * a thin `d x (k + 10)` basis, batch by batch with tfjs, and only small
 * matrices are factorised (QR and a symmetric eigendecomposition, by
 * ml-matrix). The leading components come out to within float32 rounding
 * of the exact ones for data whose spectrum decays, as images' does
 * (see `bench/pca.mjs` in this package).
 *
 * @example
 * ```ts
 * import { fitPca, type Dataset } from '@aekit/core';
 *
 * declare const train: Dataset; // e.g. MNIST images [28, 28, 1], read in batches
 * const pca = await fitPca(train, { components: 16, batchSize: 256 }); // as many as a 16-value code
 * pca.variances; // Float64Array(16), largest first
 * ```
 * @param data - The examples to fit, any example shape (flattened).
 * @param options - Number of components, batch size, passes and seed.
 * @throws ConfigError for an empty dataset or a component count below 0.
 */
export async function fitPca(data: Dataset, options: PcaOptions): Promise<Pca> {
  const d = sizeOfShape(data.exampleShape);
  if (data.size === 0) throw new ConfigError('data', 'cannot fit a PCA to an empty dataset');
  if (!Number.isInteger(options.components) || options.components < 0) {
    throw new ConfigError('components', `expected a non-negative integer, got ${options.components}`);
  }
  const k = Math.min(options.components, d, data.size);
  const batchSize = options.batchSize ?? 512;
  const { mean, range: valueRange } = await featureMeans(data, d, batchSize);
  if (k === 0) return new Pca(mean, new Float32Array(0), new Float64Array(0), valueRange);
  const width = Math.min(d, k + (options.oversampling ?? 10));
  if (d <= EXACT_FEATURES || width >= d) {
    const scatter = await scatterTimes(data, mean, identity(d), batchSize);
    return topComponents(mean, valueRange, identity(d), scatter, k, data.size);
  }
  const rng = createRng(options.seed ?? 0);
  let basis = orthonormal(new Matrix(d, width).apply(function (this: Matrix, i: number, j: number) {
    this.set(i, j, rng() * 2 - 1);
  }));
  for (let pass = 0; pass < (options.iterations ?? 4); pass++) basis = orthonormal(await scatterTimes(data, mean, basis, batchSize));
  const image = await scatterTimes(data, mean, basis, batchSize);
  return topComponents(mean, valueRange, basis, image, k, data.size);
}

/** The mean of each feature, and the smallest and largest value, in one pass. */
async function featureMeans(data: Dataset, d: number, batchSize: number): Promise<{ mean: Float32Array; range: [number, number] }> {
  const sums = new Float64Array(d);
  let low = Number.POSITIVE_INFINITY;
  let high = Number.NEGATIVE_INFINITY;
  for (let start = 0; start < data.size; start += batchSize) {
    const indices = range(start, Math.min(start + batchSize, data.size));
    const [sum, min, max] = tf.tidy(() => {
      const x = tf.reshape(data.batch(indices), [indices.length, d]);
      return [tf.sum(x, 0), tf.min(x), tf.max(x)];
    });
    const [values, mins, maxes] = await Promise.all([sum.data(), min.data(), max.data()]);
    tf.dispose([sum, min, max]);
    for (let j = 0; j < d; j++) sums[j] += values[j];
    low = Math.min(low, mins[0]);
    high = Math.max(high, maxes[0]);
  }
  return { mean: Float32Array.from(sums, (s) => s / data.size), range: [low, high] };
}

/** `S Q` for the scatter matrix `S = sum (x - mean)(x - mean)^T` of the data, one pass, summed in float64 across batches. */
async function scatterTimes(data: Dataset, mean: Float32Array, basis: Matrix, batchSize: number): Promise<Matrix> {
  const d = mean.length;
  const width = basis.columns;
  const q = tf.tensor2d(Float32Array.from(basis.to1DArray()), [d, width]);
  const mu = tf.tensor1d(mean);
  const sums = new Float64Array(d * width);
  try {
    for (let start = 0; start < data.size; start += batchSize) {
      const indices = range(start, Math.min(start + batchSize, data.size));
      const product = tf.tidy(() => {
        const centred = tf.sub(tf.reshape(data.batch(indices), [indices.length, d]), mu);
        return tf.matMul(centred, tf.matMul(centred, q), true, false);
      });
      const values = await product.data();
      product.dispose();
      for (let i = 0; i < sums.length; i++) sums[i] += values[i];
    }
  } finally {
    tf.dispose([q, mu]);
  }
  const out = new Matrix(d, width);
  for (let i = 0; i < d; i++) for (let j = 0; j < width; j++) out.set(i, j, sums[i * width + j]);
  return out;
}

/** Rayleigh-Ritz: the eigenvectors of `Q^T S Q` rotated back by `Q`, the `k` of largest eigenvalue first. */
function topComponents(mean: Float32Array, valueRange: [number, number], basis: Matrix, image: Matrix, k: number, n: number): Pca {
  const small = basis.transpose().mmul(image);
  const symmetric = small.add(small.transpose()).mul(0.5);
  const evd = new EigenvalueDecomposition(symmetric, { assumeSymmetric: true });
  const order = evd.realEigenvalues.map((value, index) => ({ value, index })).sort((a, b) => b.value - a.value).slice(0, k);
  const vectors = basis.mmul(evd.eigenvectorMatrix);
  const d = mean.length;
  const components = new Float32Array(k * d);
  order.forEach(({ index }, c) => {
    for (let j = 0; j < d; j++) components[c * d + j] = vectors.get(j, index);
  });
  return new Pca(mean, components, Float64Array.from(order, ({ value }) => Math.max(0, value) / n), valueRange);
}

function orthonormal(m: Matrix): Matrix {
  return new QrDecomposition(m).orthogonalMatrix;
}

function identity(d: number): Matrix {
  return Matrix.eye(d, d);
}
