import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, createRng, tf, useBackend, type Autoencoder } from '@aekit/core';
import { percentile, precisionRecall, rocAuc, scoreWindows, slidingWindows, timeSeries } from '../src/index.js';

beforeAll(async () => {
  await useBackend('wasm');
});

/** ROC AUC by its definition: over all (anomalous, normal) pairs, 1 if ranked right, 1/2 if tied. */
function pairwiseAuc(scores: number[], labels: number[]): number {
  let sum = 0;
  let pairs = 0;
  scores.forEach((p, i) => {
    if (!labels[i]) return;
    scores.forEach((n, j) => {
      if (labels[j]) return;
      sum += p > n ? 1 : p === n ? 0.5 : 0;
      pairs++;
    });
  });
  return sum / pairs;
}

describe('rocAuc', () => {
  it('gives the known answers, ties counting one half', () => {
    expect(rocAuc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBe(0.75);
    expect(rocAuc([1, 2, 3, 4], [0, 0, 1, 1])).toBe(1);
    expect(rocAuc([4, 3, 2, 1], [0, 0, 1, 1])).toBe(0);
    expect(rocAuc([5, 5, 5, 5], [0, 1, 0, 1])).toBe(0.5);
    expect(rocAuc([0.5, 0.5, 0.5, 0.9], [0, 1, 0, 1])).toBe(0.75);
    expect(rocAuc([1, 1, 2, 2], [0, 1, 0, 1])).toBe(0.5);
  });

  it('agrees with the pairwise definition on scores with many ties', () => {
    const rng = createRng(4);
    for (let trial = 0; trial < 20; trial++) {
      const n = 30 + Math.floor(rng() * 50);
      const labels = Array.from({ length: n }, (_, i) => (i < 3 || rng() < 0.3 ? 1 : 0));
      labels[n - 1] = 0;
      const scores = labels.map((l) => Math.round(rng() * 5 + l * 2) / 2);
      expect(rocAuc(scores, labels)).toBeCloseTo(pairwiseAuc(scores, labels), 12);
    }
  });

  it('refuses input it cannot rank', () => {
    expect(() => rocAuc([1, 2], [1, 1])).toThrow(/needs both anomalous and normal/);
    expect(() => rocAuc([1, NaN], [0, 1])).toThrow(/score 1 is NaN/);
    expect(() => rocAuc([1], [0, 1])).toThrow(/1 scores but 2 labels/);
  });
});

describe('precision, recall and percentile', () => {
  it('count flags against labels', () => {
    const counts = precisionRecall([1, 1, 0, 0, 1, 0], [1, 0, 1, 0, 1, 0]);
    expect(counts).toEqual({
      truePositives: 2,
      falsePositives: 1,
      falseNegatives: 1,
      trueNegatives: 2,
      precision: 2 / 3,
      recall: 2 / 3,
      f1: 2 / 3,
    });
    expect(precisionRecall([0, 0], [1, 0])).toMatchObject({ precision: 0, recall: 0, f1: 0 });
  });

  it('interpolates percentiles between ranks', () => {
    expect(percentile([4, 1, 3, 2], 50)).toBe(2.5);
    expect(percentile([4, 1, 3, 2], 0)).toBe(1);
    expect(percentile([4, 1, 3, 2], 100)).toBe(4);
    expect(percentile(Array.from({ length: 101 }, (_, i) => i), 99)).toBe(99);
    expect(percentile([10, 20], 75)).toBe(17.5);
    expect(() => percentile([1], 101)).toThrow(ConfigError);
  });
});

describe('scoreWindows', () => {
  it('averages each point’s squared error over the windows that cover it', async () => {
    // A stand-in "autoencoder" that reconstructs every window as zeros: the
    // error of a point is then its squared value, in every window.
    const zeros = { reconstruct: (x: tf.Tensor) => tf.zerosLike(x) } as unknown as Autoencoder;
    const values = Float32Array.from([1, 0, 2, 2, 0, 0, 3, 1, 0, 4]); // 5 points, 2 channels
    const windows = slidingWindows(timeSeries(values, 2), { window: 2 });
    const scores = await scoreWindows(zeros, windows, { batchSize: 3 });
    expect(Array.from(scores.pointScores)).toEqual([0.5, 4, 0, 5, 8]);
    expect(Array.from(scores.channelScores)).toEqual([1, 0, 4, 4, 0, 0, 9, 1, 0, 16]);
    expect(Array.from(scores.windowScores)).toEqual([9 / 4, 8 / 4, 10 / 4, 26 / 4]);
  });
});
