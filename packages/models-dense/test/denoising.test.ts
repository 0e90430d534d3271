import { beforeAll, describe, expect, it } from 'vitest';
import { applyNoise, evaluate, fit, range, useBackend, type Autoencoder, type Dataset, type NoiseSpec, type tf } from '@aekit/core';
import { denseRegistry, mnistSubset, mse } from './helpers.js';

const registry = denseRegistry();
const noise: NoiseSpec = { type: 'gaussian', factor: 0.5 };
let train: Dataset;
let test: Dataset;
let clean: tf.Tensor;
let noisy: tf.Tensor;

beforeAll(async () => {
  await useBackend('wasm');
  ({ train, test } = await mnistSubset(1500, 300));
  clean = test.batch(range(0, test.size));
  noisy = applyNoise(clean, noise, 99);
});

/** How far the model's outputs for the noisy test digits are from the clean ones. */
function denoisingError(ae: Autoencoder): number {
  const output = ae.reconstruct(noisy);
  const error = mse(output, clean);
  output.dispose();
  return error;
}

describe('denoising (any family trained with the noise option)', () => {
  it('maps noisy digits closer to the clean ones than the untrained model and than the noisy input', async () => {
    const untrained = registry.create('dense', {}, { seed: 6, dataShape: [784] });
    const untrainedBce = (await evaluate(untrained, test, { noise })).terms.bce;
    const untrainedError = denoisingError(untrained);
    untrained.dispose();

    const denoiser = registry.create('dense', {}, { seed: 6, dataShape: [784] });
    await fit(denoiser, train, { epochs: 4, batchSize: 64, learningRate: 0.005, seed: 6, noise });
    const bce = (await evaluate(denoiser, test, { noise })).terms.bce;
    const error = denoisingError(denoiser);
    expect(bce).toBeLessThan(untrainedBce * 0.45);
    expect(error).toBeLessThan(untrainedError * 0.3);
    // Doing nothing is the baseline a denoiser has to beat.
    expect(error).toBeLessThan(mse(noisy, clean) * 0.7);
    denoiser.dispose();
  });

});
