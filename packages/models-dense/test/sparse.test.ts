import { beforeAll, describe, expect, it } from 'vitest';
import { ArrayDataset, fit, tf, useBackend, type Dataset, type FigureWriter, type LineFigure } from '@aekit/core';
import { measureCodeActivity, NEAR_ZERO_THRESHOLD, sparseFamily, type CodeActivity } from '../src/index.js';
import { denseRegistry, mnistSubset, weightsOf } from './helpers.js';

const registry = denseRegistry();
let train: Dataset;
let test: Dataset;

beforeAll(async () => {
  await useBackend('wasm');
  ({ train, test } = await mnistSubset(1500, 500));
});

/** Trains a family on the subset with one seed and measures its code on the test digits. */
async function trainedActivity(name: string, config: object): Promise<CodeActivity> {
  const ae = registry.create(name, config, { seed: 11, dataShape: [784] });
  await fit(ae, train, { epochs: 4, batchSize: 64, learningRate: 0.005, seed: 11 });
  const activity = await measureCodeActivity(ae, test);
  ae.dispose();
  return activity;
}

describe('sparse', () => {
  it('starts from the same weights as dense on the same seed, so only the penalty differs', () => {
    const dense = registry.create('dense', {}, { seed: 4, dataShape: [784] });
    const sparse = registry.create('sparse', {}, { seed: 4, dataShape: [784] });
    expect(weightsOf(sparse)).toEqual(weightsOf(dense));
    expect(sparse.loss.terms.map((t) => t.name)).toEqual(['bce', 'l1']);
    dense.dispose();
    sparse.dispose();
  });

  it('has a visibly less active code than dense, more so with a stronger penalty', async () => {
    const plain = await trainedActivity('dense', {});
    const sparse = await trainedActivity('sparse', {});
    const sparser = await trainedActivity('sparse', { l1: 1e-4 });
    expect(sparse.meanActivation).toBeLessThan(plain.meanActivation * 0.98);
    expect(sparser.meanActivation).toBeLessThan(plain.meanActivation * 0.8);
    expect(sparse.nearZeroShare).toBeGreaterThan(plain.nearZeroShare);
    expect(sparser.nearZeroShare).toBeGreaterThan(sparse.nearZeroShare);
  });

  it('reports the code activity on the test data and draws it', async () => {
    const ae = registry.create('sparse', { latentDim: 8 }, { seed: 2, dataShape: [784] });
    const drawn: LineFigure[] = [];
    const figures: FigureWriter = {
      imageRows: async (file) => file,
      scatter: async (file) => file,
      lines: async (file, figure) => {
        drawn.push(figure);
        return file;
      },
    };
    const lines: string[] = [];
    const before = tf.memory().numTensors;
    const metrics = await sparseFamily.report!({ autoencoder: ae, test, seed: 0, figures, log: (l) => lines.push(l) });
    expect(tf.memory().numTensors).toBe(before);
    const expected = await measureCodeActivity(ae, test);
    expect(metrics).toEqual({ codeMeanActivation: expected.meanActivation, codeNearZeroShare: expected.nearZeroShare });
    expect(drawn).toHaveLength(1);
    expect(drawn[0].series[0].y).toHaveLength(8);
    expect(lines[0]).toMatch(/^code activity on 500 test examples: mean \d\.\d{4}, \d+\.\d% of values near zero \(\|h\| < 0\.001\)$/);
    ae.dispose();
  });
});

describe('measureCodeActivity', () => {
  it('averages |code| and counts near-zero values over batches that do not divide the data', async () => {
    const ae = registry.create('dense', { latentDim: 3, activation: 'linear' }, { seed: 9, dataShape: [4] });
    const data = new ArrayDataset(Float32Array.from({ length: 7 * 4 }, (_, i) => ((i * 37) % 11) / 10), [4]);
    // Force one unit to be exactly zero on every input, another to be tiny.
    const [kernel, bias, ...rest] = ae.model.getWeights();
    const k = kernel.arraySync() as number[][];
    k.forEach((row) => {
      row[0] = 0;
      row[1] = 0;
    });
    const replaced = [tf.tensor2d(k), tf.tensor1d([0, NEAR_ZERO_THRESHOLD / 2, bias.dataSync()[2]])];
    ae.model.setWeights([...replaced, ...rest]);
    tf.dispose(replaced);
    const codes = ae.encode(data.batch(Array.from({ length: 7 }, (_, i) => i))).arraySync() as number[][];
    const flat = codes.flat();
    const activity = await measureCodeActivity(ae, data, { batchSize: 3 });
    expect(activity.samples).toBe(7);
    expect(activity.meanActivation).toBeCloseTo(flat.reduce((s, v) => s + Math.abs(v), 0) / flat.length, 5);
    expect(activity.nearZeroShare).toBeCloseTo(flat.filter((v) => Math.abs(v) < NEAR_ZERO_THRESHOLD).length / flat.length, 6);
    expect(activity.nearZeroShare).toBeGreaterThanOrEqual(2 / 3);
    expect(activity.unitMeans[0]).toBe(0);
    expect(activity.unitMeans[1]).toBeCloseTo(NEAR_ZERO_THRESHOLD / 2, 6);
    ae.dispose();
  });
});
