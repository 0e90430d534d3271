import { beforeAll, describe, expect, it } from 'vitest';
import { ArrayDataset, createRng, evaluate, fit, tf, useBackend, type ConfigError } from '@aekit/core';
import { attachLengths, createLstmAutoencoder, lengthsOf, PaddedSequenceDataset, sequenceMask } from '../src/index.js';

beforeAll(async () => {
  await useBackend('wasm');
});

/** Noisy sine waves of random length 4..12 steps with 2 features. */
function waves(n: number, seed = 1): number[][][] {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => {
    const steps = 4 + Math.floor(rng() * 9);
    const phase = rng() * 6;
    return Array.from({ length: steps }, (_, t) => [Math.sin(phase + t / 2), Math.cos(phase + t / 3) + (rng() - 0.5) * 0.1]);
  });
}

describe('PaddedSequenceDataset', () => {
  it('pads at the end, keeps lengths and builds masks', () => {
    const data = PaddedSequenceDataset.fromSequences(
      [
        [
          [1, 2],
          [3, 4],
        ],
        Float32Array.from([5, 6, 7, 8, 9, 10]),
      ],
      { features: 2, padValue: -1, labels: [3, 4] },
    );
    expect(data.exampleShape).toEqual([3, 2]);
    const x = data.batch([0, 1]);
    expect(Array.from(x.dataSync())).toEqual([1, 2, 3, 4, -1, -1, 5, 6, 7, 8, 9, 10]);
    expect(Array.from(lengthsOf(x)!)).toEqual([2, 3]);
    const mask = data.mask([1, 0]);
    expect(mask.arraySync()).toEqual([
      [1, 1, 1],
      [1, 1, 0],
    ]);
    expect(Array.from(data.subset([0]).labels([0]))).toEqual([3]);
    expect(Array.from(data.withPadValue(0).batch([0]).dataSync())).toEqual([1, 2, 3, 4, 0, 0]);
    tf.dispose([x, mask]);
  });

  it('refuses sequences that do not fit, naming them', () => {
    const error = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        return (e as ConfigError).message;
      }
      return 'no error';
    };
    expect(error(() => PaddedSequenceDataset.fromSequences([[[1]], [[1], [2], [3]]], { timesteps: 2 }))).toBe(
      'sequences.1: has 3 steps, more than timesteps 2',
    );
    expect(error(() => PaddedSequenceDataset.fromSequences([[[1, 2]], [[1]]]))).toBe('sequences.1.0: has 1 features, expected 2');
    expect(error(() => PaddedSequenceDataset.fromSequences([[[1]], []]))).toBe('sequences.1: is empty');
    expect(error(() => PaddedSequenceDataset.fromSequences([Float32Array.from([1, 2])]))).toBe(
      'features: is required when sequences are flat Float32Arrays',
    );
    expect(error(() => sequenceMask([2, 0], 3))).toBe('lengths.1: expected an integer between 1 and 3, got 0');
  });
});

describe('masking in the lstm autoencoder', () => {
  const data = PaddedSequenceDataset.fromSequences(waves(48), { timesteps: 12 });

  it('makes the loss and the code independent of the padding values', async () => {
    for (const config of [{}, { layers: 2, bidirectional: true }]) {
      const ae = createLstmAutoencoder({ latentDim: 4, units: 8, ...config }, { seed: 1, dataShape: data.exampleShape });
      const repadded = data.withPadValue(5);
      const [a, b] = [await evaluate(ae, data), await evaluate(ae, repadded)];
      expect(b.loss).toBeCloseTo(a.loss, 6);
      const all = Int32Array.from({ length: data.size }, (_, i) => i);
      const [x, y] = [data.batch(all), repadded.batch(all)];
      const [codeX, codeY] = [ae.encode(x), ae.encode(y)];
      expect(Array.from(codeY.dataSync())).toEqual(Array.from(codeX.dataSync()));

      // Without the lengths the same padded values are plain data, and the loss changes.
      const plain = (d: PaddedSequenceDataset) => ArrayDataset.fromTensor(d.batch(all));
      const [c, d] = [await evaluate(ae, plain(data)), await evaluate(ae, plain(repadded))];
      expect(Math.abs(d.loss - c.loss)).toBeGreaterThan(0.1);
      tf.dispose([x, y, codeX, codeY]);
      ae.dispose();
    }
  });

  it('counts only real steps: the loss is the mean squared error over them', async () => {
    const ae = createLstmAutoencoder({ latentDim: 4, units: 8 }, { seed: 2, dataShape: data.exampleShape });
    const indices = [0, 1, 2, 3, 4, 5];
    const x = data.batch(indices);
    const output = ae.reconstruct(x);
    const [xs, ys] = [x.arraySync() as number[][][], output.arraySync() as number[][][]];
    let sum = 0;
    let count = 0;
    data.sequenceLengths(indices).forEach((length, i) => {
      for (let t = 0; t < length; t++) {
        for (let f = 0; f < 2; f++) sum += (xs[i][t][f] - ys[i][t][f]) ** 2;
        count += 2;
      }
    });
    const value = tf.tidy(() => {
      const pass = ae.forward(x, { training: false, seed: 0 });
      return ae.loss.compute(pass, x, { epoch: 0, training: false }).total.dataSync()[0];
    });
    expect(value).toBeCloseTo(sum / count, 6);

    // Lengths can also be given explicitly, for a batch built by hand.
    const byHand = tf.tensor(x.dataSync(), x.shape);
    const explicit = tf.tidy(() => {
      const pass = ae.forward(byHand, { training: false, seed: 0, lengths: data.sequenceLengths(indices) });
      return ae.loss.compute(pass, byHand, { epoch: 0, training: false }).total.dataSync()[0];
    });
    expect(explicit).toBeCloseTo(value, 6);
    expect(lengthsOf(attachLengths(byHand, [1, 2, 3, 4, 5, 6]))).toEqual(Int32Array.from([1, 2, 3, 4, 5, 6]));
    tf.dispose([x, output, byHand]);
    ae.dispose();
  });

  it('trains on padded sequences without leaking tensors', async () => {
    const ae = createLstmAutoencoder({ latentDim: 8, units: 16 }, { seed: 3, dataShape: data.exampleShape });
    const before = await evaluate(ae, data);
    const counts: number[] = [];
    await fit(ae, data, {
      epochs: 12,
      batchSize: 16,
      learningRate: 0.02,
      seed: 3,
      callbacks: [{ onEpochEnd: () => void counts.push(tf.memory().numTensors) }],
    });
    const after = await evaluate(ae, data);
    expect(after.loss).toBeLessThan(before.loss * 0.5);
    expect(new Set(counts.slice(1)).size).toBe(1);
    ae.dispose();
  });
});
