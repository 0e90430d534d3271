import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { chunkedShuffle, fit, range, registry, tf, useBackend } from '@aekit/core';
import { plugin as dense } from '@aekit/models-dense';
import type { FileByteStore} from '../src/index.js';
import { loadImageFolder } from '../src/index.js';
import { classFolder, tempFolder } from './images.js';

beforeAll(async () => {
  await useBackend('cpu');
});

describe('chunkedShuffle', () => {
  it('is a seeded permutation that finishes a window of chunks before the next', () => {
    const chunkOf = Int32Array.from({ length: 1000 }, (_, i) => Math.floor(i / 10));
    const order = chunkedShuffle(chunkOf, 4, 7);
    expect([...order].sort((a, b) => a - b)).toEqual([...range(0, 1000)]);
    expect(chunkedShuffle(chunkOf, 4, 7)).toEqual(order);
    expect(chunkedShuffle(chunkOf, 4, 8)).not.toEqual(order);
    for (let w = 0; w < 1000; w += 40) {
      const chunks = new Set(Array.from(order.subarray(w, w + 40), (i) => chunkOf[i]));
      expect(chunks.size).toBe(4);
    }
    expect(order.subarray(0, 40)).not.toEqual([...order.subarray(0, 40)].sort((a, b) => a - b));
  });
});

describe('a folder larger than its memory budget', () => {
  it('streams from a decoded cache file with a bounded chunk cache, equal to the in-memory read', async () => {
    const root = await classFolder(await tempFolder(), ['a', 'b'], 30, 8, 6);
    const cacheDir = await tempFolder('aekit-cache-');
    const memory = await loadImageFolder(root, { testSplit: 0.1, seed: 2 });
    const options = { testSplit: 0.1, seed: 2, memoryBytes: 0, chunkExamples: 8, cacheBytes: 8 * 144 * 3, cacheDir };
    const disk = await loadImageFolder(root, options);
    expect(disk.cacheFile).toBeDefined();
    expect(disk.cacheReused).toBe(false);
    const store = disk.train.store as FileByteStore;
    expect(store.cachedChunks).toBe(3);

    expect(disk.train.size).toBe(memory.train.size);
    const all = range(0, disk.train.size);
    expect(disk.train.batch(all).arraySync()).toEqual(memory.train.batch(all).arraySync());
    expect(disk.test.labels!(range(0, disk.test.size))).toEqual(memory.test.labels!(range(0, memory.test.size)));

    // One epoch in the dataset's own order reads each chunk once and never holds more than the cache.
    const before = store.stats.chunkReads;
    const order = disk.train.epochOrder(5);
    for (let b = 0; b < order.length; b += 10) tf.dispose(disk.train.batch(order.subarray(b, b + 10)));
    const chunksOfTrain = new Set(Array.from(disk.train.slots, (s) => Math.floor(s / 8))).size;
    expect(store.stats.chunkReads - before).toBeLessThanOrEqual(chunksOfTrain + 1);
    expect(store.stats.peakCachedBytes).toBeLessThanOrEqual(3 * 8 * 144);

    // A second load reuses the cache file instead of decoding again.
    const again = await loadImageFolder(root, options);
    expect(again.cacheReused).toBe(true);
    expect(again.train.batch([0, 1]).arraySync()).toEqual(memory.train.batch([0, 1]).arraySync());

    // A cache written while skipping a truncated file (its header reads, its pixels do not) still refuses it without skipBad.
    const broken = join(root, 'b', 'broken.png');
    const whole = await readFile(join(root, 'a', 'img-0.png'));
    await writeFile(broken, whole.subarray(0, whole.length - 30));
    const skipping = await loadImageFolder(root, { ...options, skipBad: true, size: { width: 8, height: 6 } });
    expect(skipping.skipped.map((s) => s.file)).toEqual([broken]);
    expect(skipping.cacheReused).toBe(false);
    const reused = await loadImageFolder(root, { ...options, skipBad: true, size: { width: 8, height: 6 } });
    expect(reused.cacheReused).toBe(true);
    expect(reused.skipped.map((s) => s.file)).toEqual([broken]);
    await expect(loadImageFolder(root, { ...options, size: { width: 8, height: 6 } })).rejects.toThrow(`${broken}: not a readable PNG or JPEG image`);
  });

  it('trains through fit in the chunk-aware order without leaking tensors', async () => {
    const root = await classFolder(await tempFolder(), ['a'], 24, 4, 4, 1);
    const data = await loadImageFolder(root, { testSplit: 0, memoryBytes: 0, chunkExamples: 4, cacheBytes: 4 * 16 * 2, cacheDir: await tempFolder() });
    const flat = data.train.reshape([16]);
    if (!registry.has('dense')) registry.use(dense);
    const ae = registry.create('dense', { latentDim: 4 }, { seed: 0, dataShape: [16] });
    const tensors = tf.memory().numTensors;
    const seen: number[][] = [];
    const result = await fit(ae, flat, { epochs: 2, batchSize: 6, seed: 1, callbacks: [{ onBatchEnd: (b) => void seen.push([b.epoch, b.batch]) }] });
    expect(result.history).toHaveLength(2);
    expect(seen).toHaveLength(8);
    expect(tf.memory().numTensors).toBe(tensors);
    ae.dispose();
  });
});
