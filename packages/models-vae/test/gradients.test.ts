import { beforeAll, describe, expect, it } from 'vitest';
import { tf, useBackend } from '@aekit/core';
import { createVae, mnistSubset } from './helpers.js';

beforeAll(async () => {
  await useBackend('wasm');
});

describe('the reparameterisation trick', () => {
  it.each(['vae', 'conv-vae'] as const)('%s: the reconstruction term alone gives non-zero gradients to the mean and log-variance heads', async (family) => {
    const config = family === 'vae' ? { hidden: [64] } : { filters: [4, 8] };
    const shape = family === 'vae' ? [784] : [28, 28, 1];
    const vae = createVae(family, config);
    const { train } = await mnistSubset(32, 1, shape);
    const heads = ['z_mean', 'z_log_var'].flatMap((name) =>
      vae.encoder.model.getLayer(name).trainableWeights.map((w) => w.read() as tf.Variable),
    );
    const x = train.batch(Array.from({ length: 32 }, (_, i) => i));
    // Only the reconstruction term: the KL term alone would reach both heads
    // even without sampling; the reconstruction reaches the log-variance only
    // through z = mean + exp(logVar / 2) * eps.
    const [reconstruction] = vae.loss.terms;
    const { value, grads } = tf.variableGrads(() => {
      const pass = vae.forward(x, { training: true, seed: 11 });
      return reconstruction.compute(pass, x, { epoch: 0, training: true });
    }, heads);
    expect(Object.keys(grads).sort()).toEqual(heads.map((v) => v.name).sort());
    for (const variable of heads) {
      const largest = tf.max(tf.abs(grads[variable.name])).dataSync()[0];
      expect(largest, `gradient of ${variable.name}`).toBeGreaterThan(1e-4);
    }
    tf.dispose([x, value, ...Object.values(grads)]);
    vae.dispose();
  });
});
