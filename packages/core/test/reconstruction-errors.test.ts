import { beforeAll, describe, expect, it } from 'vitest';
import { FamilyRegistry, reconstructionErrors, tf, useBackend } from '../src/index.js';
import { patternData, tinyFamily } from './fixtures/tiny-family.js';

beforeAll(async () => {
  await useBackend('wasm');
});

describe('reconstructionErrors', () => {
  it('gives each item the mean squared error of its reconstruction, batch size aside, without leaking tensors', async () => {
    const registry = new FamilyRegistry();
    registry.register(tinyFamily);
    const ae = registry.create('tiny', { latentDim: 3 }, { seed: 1, dataShape: [16] });
    const data = patternData(10);
    const before = tf.memory().numTensors;
    const scores = await reconstructionErrors(ae, data, { batchSize: 3 });
    expect(tf.memory().numTensors).toBe(before);
    const expected = tf.tidy(() => {
      const x = data.batch([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      return Array.from(tf.mean(tf.squaredDifference(ae.reconstruct(x), x), 1).dataSync());
    });
    expect(scores).toHaveLength(10);
    scores.forEach((s, i) => expect(s).toBeCloseTo(expected[i], 6));
    const some = await reconstructionErrors(ae, data, { indices: [7, 2] });
    expect(some[0]).toBeCloseTo(expected[7], 6);
    expect(some[1]).toBeCloseTo(expected[2], 6);
    ae.dispose();
  });
});
