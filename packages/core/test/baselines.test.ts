import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ArrayDataset,
  baselineScores,
  binaryCrossEntropy,
  composeLoss,
  createRng,
  evaluateBaselines,
  fitBaselines,
  fitPca,
  meanSquaredError,
  tf,
  useBackend,
  type Autoencoder,
} from '../src/index.js';

beforeAll(async () => {
  await useBackend('wasm');
});

/** `n` points near a `rank`-dimensional subspace of `d` dimensions, with a spectrum that decays, plus small noise. */
function lowRankData(n: number, d: number, rank: number, noise: number, seed = 1): Float32Array {
  const rng = createRng(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(rng() + 1e-12)) * Math.cos(2 * Math.PI * rng());
  const basis = Array.from({ length: rank }, () => Array.from({ length: d }, gauss));
  const out = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    const z = Array.from({ length: rank }, (_, r) => gauss() * (rank - r));
    for (let j = 0; j < d; j++) out[i * d + j] = 3 + z.reduce((s, v, r) => s + v * basis[r][j], 0) + noise * gauss();
  }
  return out;
}

/** Mean squared reconstruction error of every example by the PCA's `k` components. */
async function pcaError(pca: Awaited<ReturnType<typeof fitPca>>, data: ArrayDataset, k = pca.size): Promise<number> {
  const x = data.batch(Int32Array.from({ length: data.size }, (_, i) => i));
  const error = tf.tidy(() => tf.mean(tf.squaredDifference(pca.reconstruct(x, k), x)).dataSync()[0]);
  x.dispose();
  return error;
}

/** The exact top-k reconstruction error, from ml-matrix's eigendecomposition of the full covariance. */
function exactError(values: Float32Array, n: number, d: number, k: number): number {
  const x = new Matrix(n, d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) x.set(i, j, values[i * d + j]);
  const centred = x.clone().subRowVector(x.mean('column'));
  const eigenvalues = new EigenvalueDecomposition(centred.transpose().mmul(centred).div(n), { assumeSymmetric: true }).realEigenvalues.sort((a, b) => b - a);
  return eigenvalues.slice(k).reduce((a, b) => a + b, 0) / d;
}

describe('fitPca', () => {
  it('matches the exact decomposition on narrow data (the covariance path)', async () => {
    const [n, d, k] = [300, 12, 3];
    const values = lowRankData(n, d, 5, 0.1);
    const data = new ArrayDataset(values, [d]);
    const pca = await fitPca(data, { components: k, batchSize: 64 });
    expect(pca.size).toBe(k);
    expect(await pcaError(pca, data)).toBeCloseTo(exactError(values, n, d, k), 3);
    // Orthonormal components, largest variance first.
    const v = new Matrix(Array.from({ length: k }, (_, c) => Array.from(pca.components.subarray(c * d, (c + 1) * d))));
    const gram = v.mmul(v.transpose());
    for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) expect(gram.get(i, j)).toBeCloseTo(i === j ? 1 : 0, 4);
    expect(pca.variances[0]).toBeGreaterThan(pca.variances[1]);
  });

  it('finds the leading components of wide data by streamed subspace iteration', async () => {
    const [n, d, k] = [300, 160, 8];
    const values = lowRankData(n, d, 12, 0.05, 2);
    const data = new ArrayDataset(values, [d]);
    const pca = await fitPca(data, { components: k, batchSize: 100, seed: 3 });
    const exact = exactError(values, n, d, k);
    expect(await pcaError(pca, data)).toBeGreaterThanOrEqual(exact * 0.999);
    expect(await pcaError(pca, data)).toBeLessThan(exact * 1.01);
  });

  it('reconstructs every example as the mean with 0 components, clipped to the data range', async () => {
    const data = new ArrayDataset(Float32Array.from([0, 1, 1, 1, 0.5, 0, 0.5, 1]), [2]);
    const pca = await fitPca(data, { components: 1 });
    const out = tf.tidy(() => pca.reconstruct(tf.tensor2d([[5, -5]]), 0).dataSync());
    expect(Array.from(out)).toEqual([0.5, 0.75]);
    const clipped = tf.tidy(() => Array.from(pca.reconstruct(tf.tensor2d([[50, -50]])).dataSync()));
    expect(Math.max(...clipped)).toBeLessThanOrEqual(1);
    expect(Math.min(...clipped)).toBeGreaterThanOrEqual(0);
  });
});

describe('evaluateBaselines', () => {
  const autoencoderWith = (term: ReturnType<typeof meanSquaredError>) => ({ loss: composeLoss(term) }) as unknown as Autoencoder;

  it("scores the mean and PCA by the autoencoder's own reconstruction term", async () => {
    const values = lowRankData(200, 6, 2, 0.01);
    const train = new ArrayDataset(values.subarray(0, 150 * 6), [6]);
    const test = new ArrayDataset(values.subarray(150 * 6), [6]);
    const fitted = await fitBaselines(train, { components: 2 });
    const result = await evaluateBaselines(autoencoderWith(meanSquaredError()), test, fitted);
    expect(result.term).toBe('mse');
    expect(result.pca!.components).toBe(2);
    // Two components explain nearly everything of rank-2 data; the mean explains nothing.
    expect(result.pca!.loss).toBeLessThan(result.mean * 0.01);
    const mean = (await fitBaselines(train)).mean;
    const x = Array.from(test.batch(Int32Array.from({ length: 50 }, (_, i) => i)).dataSync());
    const expected = x.reduce((s, v, i) => s + (v - mean[i % 6]) ** 2, 0) / x.length;
    expect(result.mean).toBeCloseTo(expected, 4);
  });

  it('works with binary cross-entropy for images, PCA clipped into [0, 1]', async () => {
    const rng = createRng(4);
    const values = Float32Array.from({ length: 100 * 16 }, () => (rng() < 0.3 ? 1 : 0));
    const data = new ArrayDataset(values, [4, 4, 1]);
    const result = await evaluateBaselines(autoencoderWith(binaryCrossEntropy()), data, await fitBaselines(data, { components: 4 }));
    expect(Number.isFinite(result.pca!.loss)).toBe(true);
    expect(result.mean).toBeCloseTo(-(0.3 * Math.log(0.3) + 0.7 * Math.log(0.7)), 1);
  });
});

describe('baselineScores', () => {
  it('scores far items higher than near ones by distance to the mean and by PCA error', async () => {
    const values = lowRankData(100, 10, 2, 0.01);
    const train = new ArrayDataset(values, [10]);
    const fitted = await fitBaselines(train, { components: 2 });
    const off = Float32Array.from(values.subarray(0, 10), (v, j) => v + (j % 2 ? 4 : -4));
    const items = new ArrayDataset(Float32Array.from([...values.subarray(0, 10), ...off]), [10]);
    const scores = await baselineScores(items, fitted);
    expect(scores.distanceToMean[1]).toBeGreaterThan(scores.distanceToMean[0]);
    expect(scores.pcaError![1]).toBeGreaterThan(scores.pcaError![0] * 100);
  });
});
