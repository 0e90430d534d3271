import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { fit, tf, useBackend, type Autoencoder, type LossState } from '@aekit/core';
import { loadAutoencoder, saveAutoencoder } from '@aekit/core/node';
import { denseRegistry, mnistSubset } from './helpers.js';

const registry = denseRegistry();
const state: LossState = { epoch: 0, training: false };
const INPUTS = 5;

beforeAll(async () => {
  await useBackend('wasm');
});

/** A tiny contractive autoencoder: 5 inputs, 3 sigmoid code units. */
function tinyContractive(lambda: number, seed = 21): Autoencoder {
  return registry.create('contractive', { latentDim: 3, lambda }, { seed, dataShape: [INPUTS] });
}

/** The value of the model's contractive loss term on a batch. */
function penalty(ae: Autoencoder, x: tf.Tensor): tf.Scalar {
  const term = ae.loss.terms.find((t) => t.name === 'contractive')!;
  return tf.tidy(() => term.compute(ae.forward(x, { training: false, seed: 0 }), x, state));
}

/** `||dh/dx||_F^2` of one input by central differences of the encoder. */
function numericalJacobianNorm(ae: Autoencoder, row: number[], eps = 1e-2): number {
  let sum = 0;
  for (let i = 0; i < row.length; i++) {
    const plus = [...row];
    const minus = [...row];
    plus[i] += eps;
    minus[i] -= eps;
    const column = tf.tidy(() =>
      tf.div(tf.sub(ae.encode(tf.tensor2d([plus])), ae.encode(tf.tensor2d([minus]))), 2 * eps).dataSync(),
    );
    for (const d of column) sum += d * d;
  }
  return sum;
}

describe('contractive', () => {
  it('penalises lambda times the mean squared Frobenius norm of a numerically computed Jacobian', () => {
    const lambda = 0.3;
    const ae = tinyContractive(lambda);
    // Larger weights than the initialisation, so the sigmoids are used well away from their linear middle.
    const [kernel] = ae.trainableVariables;
    kernel.assign(tf.mul(kernel, 6));
    const rows = tf.randomUniform([4, INPUTS], 0, 1, 'float32', 5).arraySync() as number[][];
    const numerical = rows.map((row) => numericalJacobianNorm(ae, row));
    const expected = (lambda * numerical.reduce((a, b) => a + b, 0)) / rows.length;
    const x = tf.tensor2d(rows);
    const value = penalty(ae, x).dataSync()[0];
    expect(expected).toBeGreaterThan(0.01);
    expect(Math.abs(value - expected) / expected).toBeLessThan(1e-3);
    x.dispose();
    ae.dispose();
  });

  it('reads the live kernel, so the penalty gradient matches finite differences through both paths', () => {
    const ae = tinyContractive(1);
    const [kernel] = ae.trainableVariables;
    const x = tf.randomUniform([6, INPUTS], 0, 1, 'float32', 8);
    const direction = tf.randomNormal(kernel.shape, 0, 1, 'float32', 9);
    const { grads } = tf.variableGrads(() => penalty(ae, x), [kernel]);
    const analytic = tf.sum(tf.mul(grads[kernel.name], direction)).dataSync()[0];
    // Directional derivative of the penalty along `direction` by central differences.
    const eps = 1e-2;
    const original = tf.clone(kernel);
    const at = (step: number) => {
      kernel.assign(tf.tidy(() => tf.add(original, tf.mul(direction, step))));
      return penalty(ae, x).dataSync()[0];
    };
    const numerical = (at(eps) - at(-eps)) / (2 * eps);
    kernel.assign(original);
    expect(Math.abs(numerical)).toBeGreaterThan(1e-3);
    expect(analytic).toBeCloseTo(numerical, 3);
    tf.dispose([x, direction, original, ...Object.values(grads)]);
    ae.dispose();
  });

  it('keeps penalising the loaded weights after a save and load', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'aekit-contractive-'));
    try {
      const ae = tinyContractive(0.5, 1);
      const [kernel] = ae.trainableVariables;
      kernel.assign(tf.mul(kernel, 3));
      await saveAutoencoder(ae, dir, [INPUTS]);
      const loaded = await loadAutoencoder(dir, registry);
      const x = tf.randomUniform([3, INPUTS], 0, 1, 'float32', 2);
      expect(penalty(loaded, x).dataSync()[0]).toBeCloseTo(penalty(ae, x).dataSync()[0], 6);
      x.dispose();
      ae.dispose();
      loaded.dispose();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('does not drive its codes to saturation while it learns the average digit', async () => {
    // Without centring the code for the decoder, this run ends with every code
    // value above 0.99 and the loss stuck at the average digit's.
    const { train, test } = await mnistSubset(1000, 200);
    const ae = registry.create('contractive', {}, { seed: 1, dataShape: [784] });
    await fit(ae, train, { epochs: 3, batchSize: 64, learningRate: 0.01, seed: 1 });
    const codes = tf.tidy(() => ae.encode(test.batch(Array.from({ length: test.size }, (_, i) => i))));
    const values = await codes.data();
    const saturated = values.filter((v) => v > 0.99).length / values.length;
    expect(saturated).toBeLessThan(0.5);
    codes.dispose();
    ae.dispose();
  });
});
