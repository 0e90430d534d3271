import { beforeAll, describe, expect, it } from 'vitest';
import { tf, useBackend } from '@aekit/core';
import { reparameterize, type VariationalAutoencoder } from '../src/index.js';
import { createVae } from './helpers.js';

beforeAll(async () => {
  await useBackend('wasm');
});

const MEAN = [0.5, -1, 2];
const LOG_VAR = [0, -1, 0.7];

/** KL(N(mean, exp(logVar)) || N(0, I)) by the textbook formula, in plain numbers. */
function closedFormKl(mean: number[], logVar: number[]): number {
  return mean.reduce((sum, m, i) => sum + 0.5 * (m * m + Math.exp(logVar[i]) - 1 - logVar[i]), 0);
}

/** Makes the encoder output MEAN and LOG_VAR for every input: zero kernels, the values as biases. */
function pinEncoder(vae: VariationalAutoencoder): void {
  for (const [name, values] of [['z_mean', MEAN], ['z_log_var', LOG_VAR]] as const) {
    const layer = vae.encoder.model.getLayer(name);
    const [kernel] = layer.getWeights();
    layer.setWeights([tf.zerosLike(kernel), tf.tensor1d(values)]);
  }
}

describe('the KL term of the forward pass', () => {
  it('equals the closed form for known means and variances', () => {
    const vae = createVae('vae', { latentDim: 3, hidden: [8] }, [16]);
    pinEncoder(vae);
    tf.tidy(() => {
      const x = tf.randomUniform([5, 16], 0, 1, 'float32', 3);
      const pass = vae.forward(x, { training: false, seed: 1 });
      expect(Array.from(pass.extras.mean.dataSync())).toEqual(Array(5).fill(MEAN).flat().map(Math.fround));
      const loss = vae.loss.compute(pass, x, { epoch: 0, training: false });
      expect(loss.terms.kl.dataSync()[0]).toBeCloseTo(closedFormKl(MEAN, LOG_VAR), 5);
      expect(loss.total.dataSync()[0]).toBeCloseTo(loss.terms.bce.dataSync()[0] + loss.terms.kl.dataSync()[0], 3);
    });
    vae.dispose();
  });

  it('is weighted by beta and ramped up during the KL warm-up', () => {
    const vae = createVae('vae', { latentDim: 3, hidden: [8], beta: 0.5, klWarmupEpochs: 4 }, [16]);
    pinEncoder(vae);
    const kl = closedFormKl(MEAN, LOG_VAR);
    tf.tidy(() => {
      const x = tf.randomUniform([4, 16], 0, 1, 'float32', 4);
      const pass = vae.forward(x, { training: true, seed: 1 });
      const at = (epoch: number, training: boolean) => vae.loss.compute(pass, x, { epoch, training }).terms.kl.dataSync()[0];
      expect(at(0, true)).toBeCloseTo(0.5 * kl * (1 / 4), 5);
      expect(at(2, true)).toBeCloseTo(0.5 * kl * (3 / 4), 5);
      expect(at(10, true)).toBeCloseTo(0.5 * kl, 5);
      expect(at(0, false)).toBeCloseTo(0.5 * kl, 5);
    });
    vae.dispose();
  });
});

describe('reparameterize', () => {
  it('draws codes with the given mean and variance', () => {
    tf.tidy(() => {
      const n = 20000;
      const mean = tf.tile(tf.tensor2d([MEAN]), [n, 1]);
      const logVar = tf.tile(tf.tensor2d([LOG_VAR]), [n, 1]);
      const z = reparameterize(mean, logVar, 7);
      const moments = tf.moments(z, 0);
      const sampleMean = moments.mean.arraySync() as number[];
      const sampleVar = moments.variance.arraySync() as number[];
      MEAN.forEach((m, i) => expect(sampleMean[i]).toBeCloseTo(m, 1));
      LOG_VAR.forEach((v, i) => expect(sampleVar[i] / Math.exp(v)).toBeCloseTo(1, 1));
      expect(Array.from(reparameterize(mean, logVar, 7).dataSync())).toEqual(Array.from(z.dataSync()));
    });
  });
});
