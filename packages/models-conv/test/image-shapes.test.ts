import { beforeAll, describe, expect, it } from 'vitest';
import { ArrayDataset, fit, tf, useBackend } from '@aekit/core';
import { pluginRegistry } from './helpers.js';

beforeAll(async () => {
  await useBackend('wasm');
});

function colourImages(shape: readonly number[]): ArrayDataset {
  const x = tf.randomUniform([8, ...shape], 0, 1, 'float32', 5);
  const data = ArrayDataset.fromTensor(x);
  x.dispose();
  return data;
}

describe('conv families on colour images of any size', () => {
  for (const family of ['conv', 'conv-denoise']) {
    for (const shape of [[20, 24, 3], [21, 17, 3]]) {
      it(`${family} builds for [${shape}] and trains a couple of steps`, async () => {
        const data = colourImages(shape);
        // Each family's default depth with few filters, to keep the test fast.
        const ae = pluginRegistry().create(family, { encoderFilters: family === 'conv' ? [4, 4, 4] : [4, 4] }, { seed: 0, dataShape: shape });
        expect(ae.inputShape).toEqual(shape);
        const result = await fit(ae, data, { epochs: 1, batchSize: 4, seed: 0 });
        expect(Number.isFinite(result.history[0].loss)).toBe(true);
        const out = tf.tidy(() => ae.reconstruct(data.batch([0])));
        expect(out.shape).toEqual([1, ...shape]);
        out.dispose();
        ae.dispose();
      });
    }
  }

  it('refuses images smaller than its pooling stages in one line naming the size and what works', () => {
    const create = () => pluginRegistry().create('conv', {}, { seed: 0, dataShape: [5, 6, 3] });
    expect(create).toThrow(
      'conv.encoderFilters: 3 pooling stages need images of at least 8x8; the images are 6x5 (WIDTHxHEIGHT): use at most 2 encoderFilters entries, or --image-size 8x8 or larger',
    );
    const fewer = pluginRegistry().create('conv', { encoderFilters: [4, 4] }, { seed: 0, dataShape: [5, 6, 3] });
    expect(fewer.inputShape).toEqual([5, 6, 3]);
    fewer.dispose();
  });
});
