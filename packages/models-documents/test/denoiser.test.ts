import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluate, fit, registry, tf, useBackend, type FigureWriter, type ImageRow } from '@aekit/core';
import { loadAutoencoder, saveAutoencoder } from '@aekit/core/node';
import { loadDocuments, type LoadedDocuments } from '@aekit/data-documents';
import { DocumentDenoiser, docDenoiserFamily, plugin, type DocumentDenoisingReport } from '../src/index.js';

let data: LoadedDocuments;

beforeAll(async () => {
  await useBackend('wasm');
  registry.use(plugin);
  data = await loadDocuments({
    seed: 1,
    trainPages: 3,
    testPages: 2,
    patchSize: 32,
    trainPatchesPerPage: 64,
    testPatchesPerPage: 16,
    layout: { width: 128, height: 160, fontSize: [9, 12] },
  });
});

/** A figure writer that keeps the rows instead of drawing them. */
function recordingFigures(): FigureWriter & { rows: Record<string, ImageRow[]> } {
  const rows: Record<string, ImageRow[]> = {};
  return {
    rows,
    imageRows: async (file, r) => ((rows[file] = r), file),
    scatter: async (file) => file,
    lines: async (file) => file,
  };
}

async function report(autoencoder: DocumentDenoiser) {
  const figures = recordingFigures();
  const result = (await docDenoiserFamily.report!({ autoencoder, test: data.test, seed: 0, figures, log: () => {} })) as DocumentDenoisingReport;
  return { ...result.denoising, rows: figures.rows['denoising.png'] };
}

describe('doc-denoiser', () => {
  it('is fully convolutional: the any-size model shares the weights of the training model', () => {
    const denoiser = registry.create('doc-denoiser', {}, { seed: 0, dataShape: [64, 64, 1] }) as DocumentDenoiser;
    expect(denoiser.inputShape).toEqual([64, 64, 1]);
    expect(denoiser.latentShape).toEqual([16, 16, 32]);
    expect(denoiser.model.layers.some((l) => l.getClassName() === 'Dense')).toBe(false);
    const x = tf.randomUniform([2, 64, 64, 1], 0, 1, 'float32', 3);
    const [fixed, any] = [denoiser.reconstruct(x), denoiser.denoise(x)];
    expect(Array.from(any.dataSync())).toEqual(Array.from(fixed.dataSync()));
    const wide = denoiser.denoise(tf.zeros([1, 40, 100, 1]));
    expect(wide.shape).toEqual([1, 40, 100, 1]);
    tf.dispose([x, fixed, any, wide]);
    denoiser.dispose();
    expect(() => registry.create('doc-denoiser', {}, { seed: 0, dataShape: [30, 30, 1] })).toThrow(/^dataShape: .*multiples of 4/);
    expect(() => registry.create('doc-denoiser', { kernelSize: 4 }, { seed: 0, dataShape: [32, 32, 1] })).toThrow(/^doc-denoiser\.kernelSize: /);
  });

  it('is scored on the dirty patches against the clean ones (core feeds paired inputs)', async () => {
    const denoiser = registry.create('doc-denoiser', { filters: [4] }, { seed: 0, dataShape: [32, 32, 1] }) as DocumentDenoiser;
    const indices = [0, 1, 2, 3];
    const clean = data.test.batch(indices);
    const dirty = data.test.inputs(indices);
    const { loss } = await evaluate(denoiser, data.test.subset(indices));
    const expected = tf.tidy(() => tf.mean(tf.squaredDifference(denoiser.reconstruct(dirty), clean)).dataSync()[0]);
    const onClean = tf.tidy(() => tf.mean(tf.squaredDifference(denoiser.reconstruct(clean), clean)).dataSync()[0]);
    expect(loss).toBeCloseTo(expected, 6);
    // An untrained model gives nearly the same output for both, but not the same to 6 digits.
    expect(Math.abs(loss - onClean)).toBeGreaterThan(1e-6);
    tf.dispose([clean, dirty]);
    denoiser.dispose();
  });

  it('learns to clean pages in a short run without leaking tensors, and says so in its report', async () => {
    const denoiser = registry.create('doc-denoiser', { filters: [8] }, { seed: 0, dataShape: [32, 32, 1] }) as DocumentDenoiser;
    const untrained = await report(denoiser);
    const before = tf.memory().numTensors;
    const result = await fit(denoiser, data.train, { epochs: 3, batchSize: 16, learningRate: 0.01, seed: 0 });
    expect(tf.memory().numTensors).toBe(before);
    expect(result.history[2].loss).toBeLessThan(result.history[0].loss);
    const trained = await report(denoiser);
    expect(trained.pages).toBe(2);
    expect(trained.pixels).toBe(2 * 128 * 160);
    expect(trained.dirty).toEqual(untrained.dirty);
    // Untrained, the model already outputs near-white paper; a few steps start to bring the text back.
    expect(trained.cleaned.rmse).toBeLessThan(untrained.cleaned.rmse - 0.005);
    expect(trained.cleaned.rmse).toBeLessThan(trained.dirty.rmse);
    expect(trained.cleaned.psnr).toBeGreaterThan(untrained.cleaned.psnr);
    expect(trained.rows.map((r) => r.label)).toEqual(['dirty input', 'cleaned', 'clean target']);
    expect(trained.rows[0].images).toHaveLength(2);
    expect([trained.rows[0].height, trained.rows[0].width]).toEqual([128, 128]);
    denoiser.dispose();
  });

  it('saves and loads in the tfjs layers format with its any-size model', async () => {
    const denoiser = registry.create('doc-denoiser', { filters: [4, 8] }, { seed: 5, dataShape: [32, 32, 1] }) as DocumentDenoiser;
    const dir = join(await mkdtemp(join(tmpdir(), 'aekit-doc-')), 'model');
    await saveAutoencoder(denoiser, dir, [32, 32, 1]);
    const loaded = (await loadAutoencoder(dir)) as DocumentDenoiser;
    expect(loaded).toBeInstanceOf(DocumentDenoiser);
    const x = tf.randomUniform([1, 48, 24, 1], 0, 1, 'float32', 1);
    const [a, b] = [denoiser.denoise(x), loaded.denoise(x)];
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    tf.dispose([x, a, b]);
    denoiser.dispose();
    loaded.dispose();
  });
});
