import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluate, FamilyRegistry, fit, range, tf, useBackend } from '@aekit/core';
import { loadAutoencoder, saveAutoencoder } from '@aekit/core/node';
import { codeGrid, plugin, type TiedAutoencoder } from '../src/index.js';
import { barImages } from './images.js';

const FAMILY = '{{family}}';
const registry = new FamilyRegistry();
registry.use(plugin);
const imageShape = [28, 28, 1];

function weight(ae: TiedAutoencoder, name: string): tf.Tensor {
  const found = ae.model.weights.find((w) => w.originalName === name);
  if (!found) throw new Error(`no weight ${name} in ${ae.model.weights.map((w) => w.name)}`);
  return found.read();
}

beforeAll(async () => {
  await useBackend('wasm');
});

describe(`the ${FAMILY} family`, () => {
  it('has one kernel, used transposed by the decoder', () => {
    const ae = registry.create(FAMILY, { latentDim: 16 }, { seed: 0, dataShape: imageShape }) as TiedAutoencoder;
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

  it('trains a few epochs without leaking tensors and beats predicting the mean image', async () => {
    const train = barImages(512, 28, 1);
    const test = barImages(128, 28, 2);
    const ae = registry.create(FAMILY, {}, { seed: 0, dataShape: train.exampleShape });
    const before = tf.memory().numTensors;
    // The family sees the data in its own input shape ([784] here, not [28, 28, 1]).
    const result = await fit(ae, train.reshape(ae.inputShape), { epochs: 4, batchSize: 32, learningRate: 0.01, seed: 0 });
    expect(tf.memory().numTensors).toBe(before);
    expect(result.history[3].loss).toBeLessThan(result.history[0].loss);
    const { loss, terms } = await evaluate(ae, test.reshape(ae.inputShape));
    expect(Object.keys(terms)).toEqual(['bce']);
    const meanImageLoss = tf.tidy(() => {
      const images = test.reshape([784]).batch(range(0, test.size));
      const mean = tf.mean(images, 0, true).clipByValue(1e-6, 1 - 1e-6);
      const bce = tf.add(tf.mul(images, tf.log(mean)), tf.mul(tf.sub(1, images), tf.log(tf.sub(1, mean))));
      return -tf.mean(bce).dataSync()[0];
    });
    expect(loss).toBeLessThan(meanImageLoss);
    ae.dispose();
  });

  it('trains the kernel through both halves', () => {
    const data = barImages(32, 28, 3);
    const ae = registry.create(FAMILY, { latentDim: 8 }, { seed: 1, dataShape: data.exampleShape }) as TiedAutoencoder;
    const x = data.reshape(ae.inputShape).batch(range(0, 32));
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
    const dir = join(await mkdtemp(join(tmpdir(), 'aekit-plugin-')), 'model');
    const ae = registry.create(FAMILY, { latentDim: 12, activation: 'sigmoid' }, { seed: 2, dataShape: imageShape });
    await saveAutoencoder(ae, dir, imageShape);
    const loaded = await loadAutoencoder(dir, registry);
    expect(loaded.family).toBe(FAMILY);
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
    const ae = registry.create(FAMILY, { activation: 'linear', outputActivation: 'linear' }, { seed: 0, dataShape: [10] });
    expect(ae.loss.terms.map((t) => t.name)).toEqual(['mse']);
    ae.dispose();
  });

  it('names the bad field of a config', () => {
    expect(() => registry.create(FAMILY, { latentDim: 0 }, { seed: 0, dataShape: imageShape })).toThrow(`${FAMILY}.latentDim`);
    expect(() => registry.create(FAMILY, { activation: 'swish' }, { seed: 0, dataShape: imageShape })).toThrow(`${FAMILY}.activation`);
    expect(() => registry.create(FAMILY, { layers: 3 }, { seed: 0, dataShape: imageShape })).toThrow(FAMILY);
  });

  it('draws codes as near-square grids', () => {
    expect(codeGrid(32)).toEqual([8, 4]);
    expect(codeGrid(16)).toEqual([4, 4]);
    expect(codeGrid(7)).toEqual([7, 1]);
  });
});
