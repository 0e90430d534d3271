import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, tf, useBackend } from '@aekit/core';
import {
  createDocumentsProvider,
  cropValues,
  DocumentPatchDataset,
  documentsDataset,
  generateDocumentPairs,
  isPairedDataset,
  loadDocuments,
  writePairedFolder,
  type DocumentPair,
} from '../src/index.js';

const layout = { width: 96, height: 128, fontSize: [8, 11] as [number, number] };
let pages: DocumentPair[];

beforeAll(async () => {
  await useBackend('wasm');
  pages = generateDocumentPairs(2, { layout }, 3);
});

describe('DocumentPatchDataset', () => {
  it('gives clean patches as the batch and dirty patches at the same places as the inputs', () => {
    const data = DocumentPatchDataset.sample(pages, { patchSize: 32, patchesPerPage: 5, seed: 1 });
    expect([data.size, ...data.exampleShape]).toEqual([10, 32, 32, 1]);
    const before = tf.memory().numTensors;
    const clean = data.batch([7, 2]);
    const dirty = data.inputs([7, 2]);
    expect(clean.shape).toEqual([2, 32, 32, 1]);
    const { page, x, y } = data.position(7);
    expect(Array.from(clean.dataSync().subarray(0, 1024))).toEqual(Array.from(cropValues(page.clean, x, y, 32, 32)));
    expect(Array.from(dirty.dataSync().subarray(0, 1024))).toEqual(Array.from(cropValues(page.dirty, x, y, 32, 32)));
    expect(Math.min(...dirty.dataSync())).toBeGreaterThanOrEqual(0);
    expect(Math.max(...clean.dataSync())).toBeLessThanOrEqual(1);
    tf.dispose([clean, dirty]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('keeps the pairing of clean targets and dirty inputs through subsets and views', () => {
    const data = DocumentPatchDataset.sample(pages, { patchSize: 16, patchesPerPage: 4, seed: 2 });
    expect(isPairedDataset(data)).toBe(true);
    const view = data.subset([6, 1, 3]).reshape([256]);
    expect(isPairedDataset(view)).toBe(true);
    const clean = view.batch([0, 2]);
    expect(clean.shape).toEqual([2, 256]);
    const paired = (view as typeof data).inputs([0, 2]);
    const direct = data.inputs([6, 3]);
    const directClean = data.batch([6, 3]);
    expect(Array.from(paired.dataSync())).toEqual(Array.from(direct.dataSync()));
    expect(Array.from(clean.dataSync())).toEqual(Array.from(directClean.dataSync()));
    expect(Array.from(paired.dataSync())).not.toEqual(Array.from(clean.dataSync()));
    tf.dispose([clean, paired, direct, directClean]);
    expect(() => data.batch([8 * 2])).toThrow(/outside 0..7/);
    expect(() => data.reshape([10, 10])).toThrow(ConfigError);
  });

  it('refuses pages smaller than a patch, naming the page', () => {
    expect(() => DocumentPatchDataset.sample(pages, { patchSize: 100, patchesPerPage: 1, seed: 0 })).toThrow(
      /^patchSize: page page-0000 is 96x128, smaller than 100x100 patches$/,
    );
  });
});

describe('the documents dataset', () => {
  it('generates training and test patches from separate pages, with limits', async () => {
    const loaded = await loadDocuments({ seed: 4, trainPages: 2, testPages: 1, patchSize: 32, trainPatchesPerPage: 6, testPatchesPerPage: 3, layout, trainLimit: 10 });
    expect([loaded.train.size, loaded.test.size]).toEqual([10, 3]);
    expect(loaded.train.exampleShape).toEqual([32, 32, 1]);
    expect(loaded.train.pages).toHaveLength(2);
    expect(loaded.test.pages).toHaveLength(1);
    expect(loaded.test.pages[0].clean.pixels).not.toEqual(loaded.train.pages[0].clean.pixels);
    expect(loaded.source).toMatch(/^generated \(2 training and 1 test pages of 96x128, seed 4\), 32x32 patches$/);
    const again = await loadDocuments({ seed: 4, trainPages: 2, testPages: 1, patchSize: 32, trainPatchesPerPage: 6, testPatchesPerPage: 3, layout, trainLimit: 10 });
    const a = loaded.train.inputs([0, 9]);
    const b = again.train.inputs([0, 9]);
    expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
    tf.dispose([a, b]);
  });

  it('reads a paired folder, keeping every fifth page (at least one) for testing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'aekit-documents-'));
    await writePairedFolder(dir, generateDocumentPairs(3, { layout }, 9));
    const provider = createDocumentsProvider({ patchSize: 32, trainPatchesPerPage: 4, testPatchesPerPage: 2 });
    const loaded = await provider.load({ seed: 0, dir });
    expect(loaded.train.size).toBe(8);
    expect(loaded.test.size).toBe(2);
    expect(loaded.source).toBe(`${dir} (2 training and 1 test page pairs), 32x32 patches`);
    const single = await mkdtemp(join(tmpdir(), 'aekit-documents-'));
    await writePairedFolder(single, generateDocumentPairs(1, { layout }, 9));
    await expect(provider.load({ seed: 0, dir: single })).rejects.toThrow(/at least 2 are needed/);
  });

  it('is the provider named documents, and checks its settings', () => {
    expect(documentsDataset.name).toBe('documents');
    expect(() => createDocumentsProvider({ patchSize: 4 })).toThrow(/^documents\.patchSize: /);
  });
});
