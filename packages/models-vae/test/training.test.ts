import { beforeAll, describe, expect, it } from 'vitest';
import { fit, tf, useBackend } from '@aekit/core';
import { evaluateElbo } from '../src/index.js';
import { createVae, mnistSubset } from './helpers.js';

beforeAll(async () => {
  await useBackend('wasm');
});

describe('training on a MNIST subset', () => {
  it.each([
    ['vae', { hidden: [128] }, [784], 1000, 50, 3],
    ['conv-vae', { filters: [8, 16] }, [28, 28, 1], 600, 20, 2],
  ] as const)('%s improves the test-set ELBO without leaking tensors', async (family, config, shape, images, batchSize, epochs) => {
    const vae = createVae(family, config, [28, 28, 1], 3);
    const { train, test } = await mnistSubset(images, 200, shape);
    const before = await evaluateElbo(vae, test, { seed: 1 });
    const tensors = tf.memory().numTensors;
    const result = await fit(vae, train, { epochs, batchSize, seed: 2 });
    expect(tf.memory().numTensors).toBe(tensors);
    const after = await evaluateElbo(vae, test, { seed: 1 });

    // An untrained decoder outputs about 0.5 everywhere: 784 ln 2 = 543 nats.
    expect(before.total).toBeGreaterThan(500);
    expect(after.total).toBeLessThan(before.total - 150);
    expect(after.total).toBeCloseTo(after.reconstruction + after.kl, 6);
    expect(after.kl).toBeGreaterThan(0);
    const [first, last] = [result.history[0], result.history[epochs - 1]];
    expect(last.loss).toBeLessThan(first.loss);
    expect(Object.keys(last.terms)).toEqual(['bce', 'kl']);
    vae.dispose();
  });
});
