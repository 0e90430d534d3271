import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluate, FamilyRegistry, fit, tf, useBackend } from '@aekit/core';
import { loadAutoencoder, saveAutoencoder } from '@aekit/core/node';
import { loadMnist } from '@aekit/data-mnist';
import { codeGrid, plugin, type TiedAutoencoder } from '../src/index.js';

const registry = new FamilyRegistry();
registry.use(plugin);
const mnistShape = [28, 28, 1];

function weight(ae: TiedAutoencoder, name: string): tf.Tensor {
  const found = ae.model.weights.find((w) => w.originalName === name);
  if (!found) throw new Error(`no weight ${name} in ${ae.model.weights.map((w) => w.name)}`);
  return found.read();
}

beforeAll(async () => {
  await useBackend('wasm');
});

describe('the tied family', () => {
  it('has one kernel, used transposed by the decoder', () => {
    const ae = registry.create('tied', { latentDim: 16 }, { seed: 0, dataShape: mnistShape }) as TiedAutoencoder;
    expect(ae.inputShape).toEqual([784]);
    expect(ae.latentShape).toEqual([16]);
    expect(ae.model.weights.map((w) => w.originalName).sort()).toEqual(['tied_decoder/bias', 'tied_encoder/bias', 'tied_encoder/kernel']);
    expect(ae.parameterCount()).toBe(784 * 16 + 16 + 784);

    // Give the decoder bias non-zero values so the check covers it too.
    const decoderBias = ae.model.weights.find((w) => w.originalName === 'tied_decoder/bias')!;
    decoderBias.write(tf.randomNormal([784], 0, 0.1, 'float32', 3));
    const x = tf.randomUniform([5, 784], 0, 1, 'float32', 1);
    const kernel = weight(ae, 'tied_encoder/kernel');
    const expected = tf.tidy(() => {
      const code = tf.relu(tf.matMul(x, kernel).add(weight(ae, 'tied_encoder/bias')));
      return tf.sigmoid(tf.matMul(code, kernel, false, true).add(weight(ae, 'tied_decoder/bias')));
    });
    const output = ae.reconstruct(x);
    expect(tf.max(tf.abs(tf.sub(output, expected))).dataSync()[0]).toBeLessThan(1e-5);

    // The standalone decoder is the same transposed kernel.
    const code = ae.encode(x);
    const decoded = ae.decode(code);
    expect(tf.max(tf.abs(tf.sub(decoded, expected))).dataSync()[0]).toBeLessThan(1e-5);
    const filters = ae.filters();
    expect(filters.shape).toEqual([16, 28, 28, 1]);
    tf.dispose([x, expected, output, code, decoded, filters]);
    ae.dispose();
  });

  it('trains on MNIST digits without leaking tensors and beats the mean digit', async () => {
    const { train, test } = await loadMnist({ trainLimit: 2000, testLimit: 500 });
    const ae = registry.create('tied', {}, { seed: 0, dataShape: train.exampleShape });
    const before = tf.memory().numTensors;
    const result = await fit(ae, train.reshape(ae.inputShape), { epochs: 4, batchSize: 64, learningRate: 0.005, seed: 0 });
    expect(tf.memory().numTensors).toBe(before);
    expect(result.history[3].loss).toBeLessThan(result.history[0].loss);
    const { loss, terms } = await evaluate(ae, test.reshape(ae.inputShape));
    expect(Object.keys(terms)).toEqual(['bce']);
    // Untrained BCE is about 0.69; predicting the mean digit gives about 0.26.
    expect(loss).toBeLessThan(0.2);
    ae.dispose();
  });

  it('trains the kernel through both halves', async () => {
    const { train } = await loadMnist({ trainLimit: 256 });
    const ae = registry.create('tied', { latentDim: 8 }, { seed: 1, dataShape: train.exampleShape }) as TiedAutoencoder;
    const x = train.reshape(ae.inputShape).batch(Array.from({ length: 32 }, (_, i) => i));
    const kernel = weight(ae, 'tied_encoder/kernel') as tf.Variable;
    const decoderBias = weight(ae, 'tied_decoder/bias');
    const constantKernel = tf.tensor(kernel.dataSync(), kernel.shape);
    // The model's gradient on the kernel differs from the gradient through the
    // encoder alone (the decoder's use held constant): both uses count.
    const full = tf.variableGrads(() => tf.losses.meanSquaredError(x, ae.model.apply(x) as tf.Tensor) as tf.Scalar, [kernel]);
    const frozen = tf.variableGrads(() => {
      const code = ae.encoder.model.apply(x) as tf.Tensor;
      const output = tf.sigmoid(tf.matMul(code, constantKernel, false, true).add(decoderBias));
      return tf.losses.meanSquaredError(x, output) as tf.Scalar;
    }, [kernel]);
    const difference = tf.norm(tf.sub(full.grads[kernel.name], frozen.grads[kernel.name])).dataSync()[0];
    expect(difference).toBeGreaterThan(1e-6);
    tf.dispose([x, constantKernel, full.value, frozen.value, ...Object.values(full.grads), ...Object.values(frozen.grads)]);
    ae.dispose();
  });

  it('saves and loads with aekit model files', async () => {
    const dir = join(await mkdtemp(join(tmpdir(), 'aekit-tied-')), 'model');
    const ae = registry.create('tied', { latentDim: 12, activation: 'sigmoid' }, { seed: 2, dataShape: mnistShape });
    await saveAutoencoder(ae, dir, mnistShape);
    const loaded = await loadAutoencoder(dir, registry);
    expect(loaded.family).toBe('tied');
    expect(loaded.config).toEqual({ latentDim: 12, activation: 'sigmoid', outputActivation: 'sigmoid' });
    const x = tf.randomUniform([4, 784], 0, 1, 'float32', 5);
    const a = ae.reconstruct(x);
    const b = loaded.reconstruct(x);
    expect(tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]).toBeLessThan(1e-6);
    tf.dispose([x, a, b]);
    ae.dispose();
    loaded.dispose();
  });

  it('is PCA-like with linear activations, trained on mean squared error', () => {
    const ae = registry.create('tied', { activation: 'linear', outputActivation: 'linear' }, { seed: 0, dataShape: [10] });
    expect(ae.loss.terms.map((t) => t.name)).toEqual(['mse']);
    ae.dispose();
  });

  it('names the bad field of a config', () => {
    expect(() => registry.create('tied', { latentDim: 0 }, { seed: 0, dataShape: mnistShape })).toThrow(/tied\.latentDim/);
    expect(() => registry.create('tied', { activation: 'swish' }, { seed: 0, dataShape: mnistShape })).toThrow(/tied\.activation/);
    expect(() => registry.create('tied', { layers: 3 }, { seed: 0, dataShape: mnistShape })).toThrow(/tied/);
  });

  it('draws codes as near-square grids', () => {
    expect(codeGrid(32)).toEqual([8, 4]);
    expect(codeGrid(16)).toEqual([4, 4]);
    expect(codeGrid(7)).toEqual([7, 1]);
  });
});
