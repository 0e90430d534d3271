import { beforeAll, describe, expect, it } from 'vitest';
import { ArrayDataset, FamilyRegistry, fit, tf, useBackend } from '@aekit/core';
import { plugin } from '../src/index.js';

beforeAll(async () => {
  await useBackend('wasm');
});

/** Twelve seeded colour images of 20x24 (height x width) with values in [0, 1]. */
function colourImages(shape: readonly number[] = [20, 24, 3]): ArrayDataset {
  const x = tf.randomUniform([12, ...shape], 0, 1, 'float32', 3);
  const data = ArrayDataset.fromTensor(x);
  x.dispose();
  return data;
}

describe('dense families on colour images of any size', () => {
  for (const family of ['dense', 'sparse', 'deep', 'contractive']) {
    it(`${family} builds for [20, 24, 3] and trains a couple of steps`, async () => {
      const registry = new FamilyRegistry();
      registry.use(plugin);
      const data = colourImages();
      const ae = registry.create(family, { latentDim: 8 }, { seed: 0, dataShape: data.exampleShape });
      expect(ae.inputShape).toEqual([20 * 24 * 3]);
      const train = data.reshape(ae.inputShape);
      const result = await fit(ae, train, { epochs: 1, batchSize: 6, seed: 0 });
      expect(result.history).toHaveLength(1);
      expect(Number.isFinite(result.history[0].loss)).toBe(true);
      const out = tf.tidy(() => ae.reconstruct(train.batch([0, 1])));
      expect(out.shape).toEqual([2, 1440]);
      out.dispose();
      ae.dispose();
    });
  }
});
