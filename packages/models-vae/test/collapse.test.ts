import { beforeAll, describe, expect, it } from 'vitest';
import { fit, useBackend, type RunWarning } from '@aekit/core';
import { vaeDataDefaults, vaeFamily } from '../src/index.js';
import { createVae, mnistSubset, recordingFigures } from './helpers.js';

beforeAll(async () => {
  await useBackend('wasm');
});

/** Trains a small dense VAE on 600 digits and runs its report, keeping the warnings. */
async function trainAndReport(config: Record<string, unknown>) {
  const vae = createVae('vae', { latentDim: 2, hidden: [64], ...config });
  const { train, test } = await mnistSubset(600, 200);
  await fit(vae, train, { epochs: 4, batchSize: 32, learningRate: 0.003, seed: 1 });
  const warnings: RunWarning[] = [];
  const metrics = (await vaeFamily.report!({ autoencoder: vae, test, seed: 1, figures: recordingFigures().writer, log: () => undefined, warn: (w) => warnings.push(w) })) as {
    elbo: { kl: number; klPerDimension: number[] };
  };
  vae.dispose();
  return { warnings, elbo: metrics.elbo };
}

describe('posterior collapse', () => {
  it('is named when a heavy KL weight has pushed every code onto the prior', async () => {
    const { warnings, elbo } = await trainAndReport({ beta: 50 });
    expect(elbo.klPerDimension).toHaveLength(2);
    expect(elbo.kl).toBeCloseTo(elbo.klPerDimension[0] + elbo.klPerDimension[1], 6);
    expect(elbo.kl).toBeLessThan(0.02);
    expect(warnings.map((w) => w.code)).toEqual(['posterior-collapse']);
    expect(warnings[0].message).toMatch(/^posterior collapse: KL [\d.e-]+ nats per latent dimension \(below 0.01\)/);
  }, 60_000);

  it('is not named for the plain objective, whose codes carry nats about each digit', async () => {
    const { warnings, elbo } = await trainAndReport({});
    expect(elbo.kl).toBeGreaterThan(1);
    expect(warnings).toEqual([]);
  }, 60_000);
});

describe('the VAE defaults on other data', () => {
  it('keep the Keras example on MNIST-sized images and add a wider latent space, warm-up and free bits elsewhere', () => {
    expect(vaeDataDefaults({ values: 'unit-interval', dataShape: [28, 28, 1] })).toBeUndefined();
    expect(vaeDataDefaults({ values: 'unit-interval', dataShape: [32, 32, 3] })).toEqual({ latentDim: 32, klWarmupEpochs: 10, freeBits: 0.25 });
  });
});
