import { beforeAll, describe, expect, it } from 'vitest';
import { ArrayDataset, fit, tf, useBackend } from '@aekit/core';
import { pictureShape, toPictures } from '../src/pictures.js';
import { createVae, recordingFigures } from './helpers.js';
import { reportVae } from '../src/report.js';

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

describe('the VAE report on colour images', () => {
  it('draws samples, the manifold and interpolations with three channels', async () => {
    const x = tf.randomUniform([8, 6, 5, 3], 0, 1, 'float32', 4);
    const data = ArrayDataset.fromTensor(x, Int32Array.from({ length: 8 }, (_, i) => i % 2));
    x.dispose();
    const vae = createVae('vae', { latentDim: 2 }, [6, 5, 3]);
    const { writer, images } = recordingFigures();
    await reportVae({ autoencoder: vae, test: data.reshape(vae.inputShape), seed: 0, figures: writer, log: () => undefined });
    for (const file of ['samples.png', 'manifold.png', 'interpolation.png']) {
      const rows = images.get(file)!.rows;
      expect(rows[0].channels).toBe(3);
      expect(rows[0].images[0]).toHaveLength(6 * 5 * 3);
    }
    vae.dispose();
  });
});
