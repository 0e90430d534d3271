import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluate, fit, range, tf, useBackend, type Dataset } from '@aekit/core';
import { loadAutoencoder, saveAutoencoder } from '@aekit/core/node';
import { denseRegistry, meanImageBce, mnistSubset } from './helpers.js';

const registry = denseRegistry();
const families = ['dense', 'sparse', 'deep', 'contractive'] as const;
let train: Dataset;
let test: Dataset;
let meanImage: number;
let dir: string;

beforeAll(async () => {
  await useBackend('wasm');
  ({ train, test } = await mnistSubset(1500, 300));
  meanImage = meanImageBce(train, test);
  dir = await mkdtemp(join(tmpdir(), 'aekit-models-dense-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe.each(families)('%s', (name) => {
  it('trains on 1,500 digits to well below its untrained loss without leaking tensors', async () => {
    const ae = registry.create(name, {}, { seed: 3, dataShape: [28, 28, 1] });
    const before = await evaluate(ae, test);
    const tensorsPerEpoch: number[] = [];
    await fit(ae, train, {
      epochs: 4,
      batchSize: 64,
      // Faster than the tutorial's 1e-3 so a few epochs on a subset suffice;
      // contractive's own default (1e-2) is faster still.
      learningRate: registry.get(name).training?.learningRate ?? 0.005,
      seed: 3,
      callbacks: [{ onEpochEnd: () => void tensorsPerEpoch.push(tf.memory().numTensors) }],
    });
    const after = await evaluate(ae, test);
    expect(before.terms.bce).toBeGreaterThan(0.69);
    expect(after.loss).toBeLessThan(before.loss * 0.45);
    // Epoch 1 creates the optimizer's slots; after that nothing may grow.
    expect(new Set(tensorsPerEpoch.slice(1)).size).toBe(1);
    // Beyond the blurred average digit, which a model learns first. The bounded
    // sigmoid code of contractive needs a few hundred steps more than this run
    // has (see the README); contractive.test.ts checks that it does not saturate.
    if (name !== 'contractive') expect(after.terms.bce).toBeLessThan(meanImage * 0.85);
    ae.dispose();
  });

  it('flattens image-shaped data and has a separate encoder and decoder', () => {
    const ae = registry.create(name, { latentDim: 16 }, { seed: 1, dataShape: [28, 28, 1] });
    expect(ae.inputShape).toEqual([784]);
    expect(ae.latentShape).toEqual([16]);
    expect(registry.get(name).codeImageShape?.(ae)).toEqual([4, 4]);
    expect(ae.encoder.model.outputs[0].shape).toEqual([null, 16]);
    expect(ae.decoder.model.inputs[0].shape).toEqual([null, 16]);
    const x = test.batch(range(0, 5));
    const code = ae.encode(x);
    const viaHalves = ae.decode(code);
    const whole = ae.reconstruct(x);
    expect(code.shape).toEqual([5, 16]);
    expect(Array.from(viaHalves.dataSync())).toEqual(Array.from(whole.dataSync()).map((v) => expect.closeTo(v, 6)));
    tf.dispose([x, code, viaHalves, whole]);
    ae.dispose();
  });

  it('saves and loads back to the same reconstructions', async () => {
    const ae = registry.create(name, { latentDim: 8 }, { seed: 5, dataShape: [28, 28, 1] });
    await saveAutoencoder(ae, join(dir, name), [28, 28, 1]);
    const loaded = await loadAutoencoder(join(dir, name), registry);
    expect(loaded.family).toBe(name);
    expect(loaded.config).toEqual(ae.config);
    const x = test.batch(range(0, 4));
    const [a, b] = [ae.reconstruct(x), loaded.reconstruct(x)];
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    tf.dispose([x, a, b]);
    ae.dispose();
    loaded.dispose();
  });
});
