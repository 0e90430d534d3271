import { beforeAll, describe, expect, it } from 'vitest';
import { evaluate, fit, tf, useBackend, type FigureWriter, type ReportContext } from '@aekit/core';
import { loadMnist, type ByteImageDataset } from '@aekit/data-mnist';
import { convDenoiseFamily, convFamily, type DenoisingQuality } from '../src/index.js';
import { build } from './helpers.js';

let train: ByteImageDataset;
let test: ByteImageDataset;

beforeAll(async () => {
  await useBackend('wasm');
  ({ train, test } = await loadMnist({ trainLimit: 512, testLimit: 200 }));
});

/** The report hook never draws; a writer that fails makes sure of it. */
const noFigures: FigureWriter = {
  imageRows: () => Promise.reject(new Error('unexpected figure')),
  scatter: () => Promise.reject(new Error('unexpected figure')),
  lines: () => Promise.reject(new Error('unexpected figure')),
};

describe('conv', () => {
  it('builds the Keras blog model: a 4x4x8 code and 28x28x1 reconstructions', () => {
    const ae = build('conv');
    expect(ae.latentShape).toEqual([4, 4, 8]);
    expect(ae.inputShape).toEqual([28, 28, 1]);
    const convs = ae.model.layers.filter((l) => l.getClassName() === 'Conv2D').map((l) => l.getConfig());
    expect(convs.map((c) => c.filters)).toEqual([16, 8, 8, 8, 8, 16, 1]);
    expect(convs.map((c) => c.padding)).toEqual(['same', 'same', 'same', 'same', 'same', 'valid', 'same']);
    expect(convs.at(-1)?.activation).toBe('sigmoid');
    const out = tf.tidy(() => ae.reconstruct(tf.zeros([2, 28, 28, 1])));
    expect(out.shape).toEqual([2, 28, 28, 1]);
    out.dispose();
    ae.dispose();
  });

  it('trains: the loss ends well below the untrained loss without leaking tensors', async () => {
    const ae = build('conv');
    const before = await evaluate(ae, train);
    const counts: number[] = [];
    await fit(ae, train, {
      epochs: 3,
      batchSize: 32,
      learningRate: 0.003,
      seed: 1,
      callbacks: [{ onEpochEnd: () => void counts.push(tf.memory().numTensors) }],
    });
    const after = await evaluate(ae, train);
    expect(before.loss).toBeGreaterThan(0.6);
    expect(after.loss).toBeLessThan(before.loss * 0.5);
    expect(new Set(counts.slice(1)).size).toBe(1);
    ae.dispose();
  });
});

describe('conv-denoise', () => {
  it('learns to denoise: its report measures denoised PSNR above that of the noisy input', async () => {
    const ae = build('conv-denoise');
    expect(ae.latentShape).toEqual([7, 7, 32]);
    const noise = convDenoiseFamily.training!.noise!;
    const before = await evaluate(ae, train, { noise });
    await fit(ae, train, { epochs: 2, batchSize: 32, learningRate: 0.003, seed: 1, noise });
    const after = await evaluate(ae, train, { noise });
    expect(after.loss).toBeLessThan(before.loss * 0.6);

    const lines: string[] = [];
    const context: ReportContext = { autoencoder: ae, test, noise, seed: 3, figures: noFigures, log: (l) => void lines.push(l) };
    const { denoising } = (await convDenoiseFamily.report!(context)) as { denoising: DenoisingQuality };
    expect(denoising.noise).toBe('gaussian:0.5');
    expect(denoising.samples).toBe(200);
    // Gaussian noise of factor 0.5 clipped to [0, 1] leaves MNIST at about 9.4 dB.
    expect(denoising.noisy.psnr).toBeGreaterThan(8);
    expect(denoising.noisy.psnr).toBeLessThan(11);
    expect(denoising.denoised.psnr).toBeGreaterThan(denoising.noisy.psnr + 1);
    for (const q of [denoising.noisy, denoising.denoised]) {
      expect(q.ssim).toBeGreaterThan(-1);
      expect(q.ssim).toBeLessThan(1);
    }
    expect(lines).toEqual([expect.stringMatching(/^denoising gaussian:0.5 on 200 test images: PSNR 9\.\d → \d+\.\d dB, SSIM/)]);

    const again = (await convDenoiseFamily.report!({ ...context, log: () => undefined })) as { denoising: DenoisingQuality };
    expect(again.denoising).toEqual(denoising);
    ae.dispose();
  });

  it('adds nothing to the metrics of a run trained without noise', async () => {
    const ae = build('conv');
    const lines: string[] = [];
    const result = await convFamily.report!({ autoencoder: ae, test, seed: 0, figures: noFigures, log: (l) => void lines.push(l) });
    expect(result).toBeUndefined();
    expect(lines).toEqual([]);
    ae.dispose();
  });
});
