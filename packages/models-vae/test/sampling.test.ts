import { beforeAll, describe, expect, it } from 'vitest';
import { tf, useBackend } from '@aekit/core';
import { createVae, mnistSubset } from './helpers.js';

beforeAll(async () => {
  await useBackend('wasm');
});

const values = (t: tf.Tensor) => Array.from(t.dataSync());

describe('sampling and encoding', () => {
  it.each([
    ['vae', { hidden: [32] }, [784]],
    ['conv-vae', { filters: [4, 8] }, [28, 28, 1]],
  ] as const)('%s: sample(n, seed) is reproducible, differs with another seed and generates images', (family, config, shape) => {
    const vae = createVae(family, config);
    const a = vae.sample(6, 42);
    const b = vae.sample(6, 42);
    const c = vae.sample(6, 43);
    expect(a.shape).toEqual([6, ...shape]);
    expect(values(a)).toEqual(values(b));
    expect(values(a)).not.toEqual(values(c));
    expect(tf.min(a).dataSync()[0]).toBeGreaterThanOrEqual(0);
    expect(tf.max(a).dataSync()[0]).toBeLessThanOrEqual(1);
    tf.dispose([a, b, c]);
    vae.dispose();
  });

  it('encodes to a mean and a log-variance, reconstructs from the mean and interpolates between means', async () => {
    const vae = createVae('vae', { latentDim: 3, hidden: [32] });
    const { test } = await mnistSubset(1, 4);
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      const x = test.batch([0, 1, 2, 3]);
      const { mean, logVar } = vae.encodeDistribution(x);
      expect(mean.shape).toEqual([4, 3]);
      expect(logVar.shape).toEqual([4, 3]);
      expect(vae.latentShape).toEqual([3]);
      expect(values(vae.encode(x))).toEqual(values(mean));
      expect(values(vae.encoder.encode(x))).toEqual(values(mean));
      const reconstruction = vae.reconstruct(x);
      expect(reconstruction.shape).toEqual([4, 784]);
      const decodedMean = vae.decode(mean);
      expect(tf.max(tf.abs(tf.sub(reconstruction, decodedMean))).dataSync()[0]).toBeLessThan(1e-6);

      const [from, , to] = tf.split(x, [1, 1, 2]);
      const line = vae.interpolate(from, to.slice([0, 0], [1, 784]), 5);
      expect(line.shape).toEqual([5, 784]);
      expect(tf.max(tf.abs(tf.sub(line.slice([0, 0], [1, 784]), reconstruction.slice([0, 0], [1, 784])))).dataSync()[0]).toBeLessThan(1e-5);
      expect(tf.max(tf.abs(tf.sub(line.slice([4, 0], [1, 784]), reconstruction.slice([2, 0], [1, 784])))).dataSync()[0]).toBeLessThan(1e-5);
      expect(() => vae.interpolate(x, x, 3)).toThrow(/one example/);
    });
    expect(tf.memory().numTensors).toBe(before);
    vae.dispose();
  });

  it('samples codes in the forward pass from its seed', async () => {
    const vae = createVae('vae', { hidden: [32] });
    const { test } = await mnistSubset(1, 8);
    tf.tidy(() => {
      const x = test.batch([0, 1, 2, 3, 4, 5, 6, 7]);
      const one = vae.forward(x, { training: true, seed: 5 });
      const same = vae.forward(x, { training: true, seed: 5 });
      const other = vae.forward(x, { training: true, seed: 6 });
      expect(values(one.code)).toEqual(values(same.code));
      expect(values(one.code)).not.toEqual(values(other.code));
      expect(values(one.code)).not.toEqual(values(one.extras.mean));
    });
    expect(() => vae.sample(0, 1)).toThrow(/positive integer/);
    vae.dispose();
  });
});
