import { beforeAll, describe, expect, it } from 'vitest';
import { tf, useBackend } from '@aekit/core';
import { MANIFOLD_SIZE, vaeFamily } from '../src/index.js';
import { createVae, mnistSubset, recordingFigures } from './helpers.js';

beforeAll(async () => {
  await useBackend('wasm');
});

async function report(latentDim: number, classes?: string[]) {
  const vae = createVae('vae', { latentDim, hidden: [32] });
  const { test } = await mnistSubset(1, 300);
  const figures = recordingFigures();
  const lines: string[] = [];
  const tensors = tf.memory().numTensors;
  const metrics = await vaeFamily.report!({ autoencoder: vae, test, classes, seed: 4, figures: figures.writer, log: (l) => lines.push(l) });
  expect(tf.memory().numTensors).toBe(tensors);
  vae.dispose();
  return { metrics: metrics as Record<string, unknown>, ...figures, lines, test };
}

describe('the VAE report', () => {
  it('returns the test negative ELBO split into its terms and draws the latent space, manifold, samples and interpolations', async () => {
    const { metrics, images, scatters, lines, test } = await report(2);
    const elbo = metrics.elbo as { total: number; reconstruction: number; kl: number; unit: string; samples: number };
    expect(elbo.unit).toBe('nats per image');
    expect(elbo.samples).toBe(300);
    expect(elbo.total).toBeCloseTo(elbo.reconstruction + elbo.kl, 6);
    expect(elbo.reconstruction).toBeGreaterThan(400); // untrained: about 784 ln 2
    expect(metrics.figures).toEqual(['latent.png', 'manifold.png', 'samples.png', 'interpolation.png']);
    expect(lines[0]).toMatch(/^test negative ELBO \d+\.\d\d nats per image \(reconstruction [\d.]+ \+ KL [\d.]+\)$/);

    const latent = scatters.get('latent.png')!;
    expect(latent.x).toHaveLength(300);
    expect(Array.from(latent.category!)).toEqual(Array.from(test.labels!(Array.from({ length: 300 }, (_, i) => i)), String));
    expect(latent.title).toBe('Latent means of 300 test images');

    const manifold = images.get('manifold.png')!;
    expect(manifold.rows).toHaveLength(MANIFOLD_SIZE);
    for (const row of manifold.rows) {
      expect(row.images).toHaveLength(MANIFOLD_SIZE);
      expect([row.height, row.width]).toEqual([28, 28]);
    }
    expect(manifold.rows[0].label).toBe('z2 = 1.64');
    expect(manifold.rows[MANIFOLD_SIZE - 1].label).toBe('z2 = -1.64');

    const samples = images.get('samples.png')!;
    expect(samples.rows.flatMap((r) => r.images)).toHaveLength(100);
    const interpolation = images.get('interpolation.png')!;
    for (const row of interpolation.rows) {
      expect(row.images).toHaveLength(12);
      const [from, to] = row.label.split(' → ');
      expect(from).not.toBe(to);
    }
  });

  it('names the classes in the latent plot and the interpolations as the data names them', async () => {
    const names = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];
    const { scatters, images, test } = await report(2, names);
    const labels = test.labels!(Array.from({ length: 300 }, (_, i) => i));
    expect(Array.from(scatters.get('latent.png')!.category!)).toEqual(Array.from(labels, (l) => names[l]));
    for (const row of images.get('interpolation.png')!.rows) expect(row.label).toMatch(/^[a-z]+ → [a-z]+$/);
  });

  it('plots the first two of more latent dimensions, says so, and skips the manifold', async () => {
    const { metrics, images, scatters, lines } = await report(5);
    expect(scatters.get('latent.png')!.title).toBe('Latent means of 300 test images, dimensions 1 and 2 of 5');
    expect(images.has('manifold.png')).toBe(false);
    expect(lines).toContain('manifold.png needs a 2-D latent space; skipped for latentDim 5');
    expect(metrics.latent).toEqual({ dims: 5, plotted: [0, 1] });
  });
});
