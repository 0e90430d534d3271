import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, FamilyRegistry, evaluate, fit, tf, useBackend } from '@aekit/core';
import { loadAutoencoder, saveAutoencoder } from '@aekit/core/node';
import { createLstmAutoencoder, defaultLstmLatentDim, lstmFamily, plugin, rowSequences, type LstmAutoencoder } from '../src/index.js';
import { loadMnist } from '@aekit/data-mnist';

beforeAll(async () => {
  await useBackend('wasm');
});

const configError = (fn: () => unknown): ConfigError => {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
};

describe('the lstm family', () => {
  it('reads [T, F] data, and [T, F, 1] images, as T steps of F features', () => {
    const rows = createLstmAutoencoder({ latentDim: 8, units: 16 }, { seed: 1, dataShape: [28, 28] });
    expect(rows.inputShape).toEqual([28, 28]);
    expect(rows.latentShape).toEqual([8]);
    expect([rows.timesteps, rows.features]).toEqual([28, 28]);
    expect(rows.config).toMatchObject({ timesteps: 28, features: 28, latentDim: 8, units: 16, layers: 1 });

    const images = createLstmAutoencoder({ latentDim: 8, units: 16 }, { seed: 1, dataShape: [28, 28, 1] });
    expect(images.inputShape).toEqual([28, 28, 1]);
    expect([images.timesteps, images.features]).toEqual([28, 28]);
    const x = tf.zeros([2, 28, 28, 1]);
    const y = images.reconstruct(x);
    expect(y.shape).toEqual([2, 28, 28, 1]);

    const halves = createLstmAutoencoder({ features: 14, latentDim: 4, units: 8 }, { seed: 1, dataShape: [28, 28] });
    expect([halves.timesteps, halves.features]).toEqual([56, 14]);
    tf.dispose([x, y]);
    [rows, images, halves].forEach((ae) => ae.dispose());
  });

  it('stacks layers and encodes in both directions', () => {
    const ae = createLstmAutoencoder({ latentDim: 6, units: 8, layers: 2, bidirectional: true }, { seed: 2, dataShape: [10, 3] });
    const x = tf.randomUniform([4, 10, 3], 0, 1, 'float32', 1);
    const pass = tf.tidy(() => {
      const p = ae.forward(x, { training: false, seed: 0 });
      return [p.code, p.output].map((t) => t.shape);
    });
    expect(pass).toEqual([
      [4, 6],
      [4, 10, 3],
    ]);
    const lstmLayers = ae.model.layers.filter((l) => l.getClassName() === 'Bidirectional' || l.getClassName() === 'LSTM');
    expect(lstmLayers.map((l) => l.getClassName())).toEqual(['Bidirectional', 'Bidirectional', 'LSTM', 'LSTM']);
    x.dispose();
    ae.dispose();
  });

  it('builds the same weights for the same seed', () => {
    const weights = (seed: number) => {
      const ae = createLstmAutoencoder({ latentDim: 4, units: 8 }, { seed, dataShape: [12, 2] });
      const w = ae.model.getWeights().map((t) => Array.from(t.dataSync()));
      ae.dispose();
      return w;
    };
    expect(weights(5)).toEqual(weights(5));
    expect(weights(6)).not.toEqual(weights(5));
  });

  it('refuses invalid configs, naming the field', () => {
    const context = { seed: 0, dataShape: [28, 28] };
    expect(configError(() => createLstmAutoencoder({ latentDim: 0 }, context)).field).toBe('lstm.latentDim');
    expect(configError(() => createLstmAutoencoder({ units: 2.5 }, context)).field).toBe('lstm.units');
    expect(configError(() => createLstmAutoencoder({ layers: 9 }, context)).field).toBe('lstm.layers');
    expect(configError(() => createLstmAutoencoder({ bidirectional: 'yes' }, context)).field).toBe('lstm.bidirectional');
    expect(configError(() => createLstmAutoencoder({ outputActivation: 'relu6' }, context)).field).toBe('lstm.outputActivation');
    expect(configError(() => createLstmAutoencoder({ loss: 'bce' }, context)).message).toBe(
      "lstm.outputActivation: loss 'bce' needs outputActivation 'sigmoid'",
    );
    expect(configError(() => createLstmAutoencoder({ timesteps: 5 }, context)).message).toMatch(
      /^lstm\.timesteps: 5 does not divide examples of shape \[28,28\]/,
    );
    expect(configError(() => createLstmAutoencoder({ latentDimension: 8 }, context)).message).toMatch(/latentDimension/);
  });

  it('trains on unbounded data with its linear output and refuses a bounded one there, naming the setting', () => {
    const registry = new FamilyRegistry();
    registry.use(plugin);
    const unbounded = { seed: 0, dataShape: [8, 2], data: { values: 'unbounded' } } as const;
    const ae = registry.create('lstm', { units: 4, latentDim: 2 }, unbounded);
    expect(ae.config.outputActivation).toBe('linear');
    ae.dispose();
    expect(() => registry.create('lstm', { outputActivation: 'sigmoid', loss: 'bce' }, unbounded)).toThrow(
      "lstm.outputActivation: 'sigmoid' is bounded, and this data has unbounded values (e.g. standardised table columns); use 'linear' or leave outputActivation out",
    );
  });

  it('gives a series window a code narrower than the window unless one is given, and MNIST rows their 32', () => {
    const registry = new FamilyRegistry();
    registry.use(plugin);
    const codeOf = (dataShape: number[], config = {}) => {
      const ae = registry.create('lstm', { units: 4, ...config }, { seed: 0, dataShape, data: { values: 'unbounded' } });
      ae.dispose();
      return ae.config.latentDim;
    };
    // A window of 32 points of one signal: a 32-value code could copy it (ae train warns of a code as wide as the input).
    expect(codeOf([32, 1])).toBe(8);
    expect(codeOf([24, 2])).toBe(12);
    expect(codeOf([4, 1])).toBe(2);
    expect(codeOf([28, 28])).toBe(32);
    expect(codeOf([32, 1], { latentDim: 32 })).toBe(32);
    expect(defaultLstmLatentDim([32, 1])).toBe(8);
  });

  it('is registered by the plugin, draws its code as a picture and survives a save and load', async () => {
    const registry = new FamilyRegistry();
    registry.use(plugin);
    expect(registry.names()).toEqual(['lstm']);
    expect(registry.commands()).toEqual([]);
    expect(lstmFamily.dataKinds).toEqual(['series']);
    const ae = registry.create('lstm', { latentDim: 12, units: 8, bidirectional: true }, { seed: 3, dataShape: [8, 2] });
    expect(lstmFamily.codeImageShape!(ae)).toEqual([3, 4]);

    const dir = await mkdtemp(join(tmpdir(), 'aekit-lstm-'));
    try {
      await saveAutoencoder(ae, dir, [8, 2]);
      const loaded = await loadAutoencoder(dir, registry);
      const x = tf.randomUniform([3, 8, 2], 0, 1, 'float32', 2);
      const [a, b] = [ae.reconstruct(x), loaded.reconstruct(x)];
      expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
      tf.dispose([x, a, b]);
      loaded.dispose();
    } finally {
      ae.dispose();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('frees every tensor it made when disposed', () => {
    for (const config of [{}, { layers: 2, bidirectional: true }]) {
      const before = tf.memory().numTensors;
      createLstmAutoencoder({ latentDim: 4, units: 8, ...config }, { seed: 0, dataShape: [6, 2, 1] }).dispose();
      expect(tf.memory().numTensors).toBe(before);
    }
  });

  it('learns MNIST digits read as sequences of rows, beyond their average', async () => {
    const train = rowSequences((await loadMnist({ trainLimit: 384, testLimit: 1 })).train);
    expect(train.exampleShape).toEqual([28, 28]);
    const all = Int32Array.from({ length: train.size }, (_, i) => i);
    // The error of always answering the average digit: a model that beats it has learnt the digits apart.
    const averageDigitError = tf.tidy(() => {
      const x = train.batch(all);
      return tf.mean(tf.squaredDifference(x, tf.mean(x, 0))).dataSync()[0];
    });
    const ae: LstmAutoencoder = createLstmAutoencoder({ latentDim: 16, units: 32 }, { seed: 1, dataShape: train.exampleShape });
    const before = await evaluate(ae, train);
    const result = await fit(ae, train, { epochs: 4, batchSize: 16, learningRate: 0.01, seed: 1 });
    const after = await evaluate(ae, train);
    expect(after.loss).toBeLessThan(before.loss * 0.65);
    expect(after.loss).toBeLessThan(averageDigitError);
    expect(result.history[3].loss).toBeLessThan(result.history[0].loss);
    ae.dispose();
    // CPU-bound: about a minute alone on two cores (4 epochs of 384 digits of 28 steps), two to three times that
    // while other work shares the cores; fewer digits or epochs stop it learning the digits apart, so it gets time instead.
  }, 300_000);
});
