import { beforeAll, describe, expect, it } from 'vitest';
import { tf, useBackend } from '@aekit/core';
import { ByteImageDataset, loadMnist } from '../src/index.js';

beforeAll(async () => {
  await useBackend('cpu');
});

describe('ByteImageDataset', () => {
  it('builds float batches in [0, 1] in any view of the same size', async () => {
    const { train } = await loadMnist({ trainLimit: 50 });
    const images = train.batch([0, 1]);
    expect(images.shape).toEqual([2, 28, 28, 1]);
    const values = images.dataSync();
    expect(Math.min(...values)).toBe(0);
    expect(Math.max(...values)).toBe(1);
    expect(train.reshape([784]).batch([0]).shape).toEqual([1, 784]);
    const rows = train.reshape([28, 28]).batch([3]);
    expect(rows.shape).toEqual([1, 28, 28]);
    expect(Array.from(rows.dataSync())).toEqual(Array.from(train.batch([3]).dataSync()));
    expect(() => train.reshape([100])).toThrow(/^shape: cannot view images of shape \[28,28,1\] as \[100\]/);
    tf.dispose([images, rows]);
  });

  it('shares bytes between subsets and maps their indices and labels', () => {
    const pixels = Uint8Array.from({ length: 4 * 4 }, (_, i) => Math.floor(i / 4) * 50);
    const data = new ByteImageDataset(pixels, [2, 2], Uint8Array.from([7, 8, 9, 6]));
    const sub = data.subset([3, 1]);
    expect(sub.size).toBe(2);
    expect(Array.from(sub.labels!([0, 1]))).toEqual([6, 8]);
    expect(Array.from(sub.floats([0]))).toEqual(Array.from(new Float32Array(4).fill(150 / 255)));
    expect(Array.from(sub.subset([1]).labels!([0]))).toEqual([8]);
    expect(() => sub.batch([2])).toThrow(/outside 0..1/);
  });

  it('gives the floats of batch and floats alike, an empty batch, and a one-line refusal naming the index', () => {
    const pixels = Uint8Array.from({ length: 5 * 6 }, (_, i) => (i * 37) % 256);
    const data = new ByteImageDataset(pixels, [2, 3]).subset([4, 0, 2]);
    const batch = data.batch([2, 0, 0]);
    expect(batch.shape).toEqual([3, 2, 3]);
    const expected = Float32Array.from([2, 4, 4].flatMap((image) => Array.from(pixels.subarray(image * 6, image * 6 + 6), (b) => b / 255)));
    expect(batch.dataSync()).toEqual(expected);
    expect(data.floats([2, 0, 0])).toEqual(expected);
    const empty = data.batch([]);
    expect(empty.shape).toEqual([0, 2, 3]);
    expect(() => data.batch([0, 3])).toThrow(/^example index 3 is outside 0\.\.2$/);
    tf.dispose([batch, empty]);
  });
});
