import { beforeAll, describe, expect, it } from 'vitest';
import { ArrayDataset, fit, tf, useBackend } from '@aekit/core';
import { pictureShape, toPictures } from '../src/pictures.js';
import { createVae } from './helpers.js';

beforeAll(async () => {
  await useBackend('wasm');
});

function colourImages(shape: readonly number[]): ArrayDataset {
  const x = tf.randomUniform([8, ...shape], 0, 1, 'float32', 9);
  const data = ArrayDataset.fromTensor(x);
  x.dispose();
  return data;
}

describe('VAE families on colour images of any size', () => {
  for (const [family, shape] of [['vae', [20, 24, 3]], ['conv-vae', [20, 24, 3]], ['conv-vae', [21, 23, 3]]] as const) {
    it(`${family} builds for [${shape}] and trains a couple of steps`, async () => {
      const data = colourImages(shape);
      // conv-vae keeps its default depth (two stride-2 layers) with few filters, to keep the test fast.
      const vae = createVae(family, family === 'conv-vae' ? { latentDim: 2, filters: [4, 8] } : { latentDim: 2 }, shape);
      const train = data.reshape(vae.inputShape);
      const result = await fit(vae, train, { epochs: 1, batchSize: 4, seed: 0 });
      expect(Number.isFinite(result.history[0].loss)).toBe(true);
      const samples = vae.sample(2, 0);
      expect(samples.shape).toEqual([2, ...vae.inputShape]);
      // Samples draw in colour: three values a pixel.
      const pictures = await toPictures(samples, pictureShape(shape));
      expect(pictures[0]).toHaveLength(shape[0] * shape[1] * 3);
      samples.dispose();
      vae.dispose();
    });
  }

  it('conv-vae refuses images smaller than its stride-2 layers, naming the size and what works', () => {
    expect(() => createVae('conv-vae', {}, [3, 5, 3])).toThrow(
      'conv-vae.filters: 2 stride-2 layers need images of at least 4x4; the images are 5x3 (WIDTHxHEIGHT): use at most 1 filters entries, or --image-size 4x4 or larger',
    );
  });

  it('draws grey data as grey pictures and colour as colour', () => {
    expect(pictureShape([28, 28, 1])).toEqual([28, 28, 1]);
    expect(pictureShape([784])).toEqual([28, 28, 1]);
    expect(pictureShape([20, 24, 3])).toEqual([20, 24, 3]);
  });
});
