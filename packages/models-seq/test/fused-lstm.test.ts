import { afterAll, describe, expect, it } from 'vitest';
import { ArrayDataset, createRng, fit, tf, useBackend, type Autoencoder } from '@aekit/core';
import { LSTM_SEQUENCE } from '@aekit/core/kernels';
import { exportAutoencoder, measureParity } from '@aekit/export-onnx';
import { attachLengths, createLstmAutoencoder, type LstmConfig } from '../src/index.js';

// The fused layers (one kernel a sequence on wasm, from @aekit/kernels-wasm, registered for these tests)
// against tfjs-layers' own LSTM and TimeDistributed (`fused: false`) on the cpu backend, the reference.

afterAll(async () => {
  await useBackend('cpu');
});

const dataShape = [9, 3];
const batch = 6;

/** Seeded sequences in [0, 1). */
function sequences(seed: string): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: batch * dataShape[0]! * dataShape[1]! }, () => rng());
}

/** Output, loss and the loss's gradient for every weight of a model built from `config`, read back. */
async function pass(backend: 'cpu' | 'wasm', config: Partial<LstmConfig>, x: Float32Array, lengths?: Int32Array) {
  await useBackend(backend);
  const ae = createLstmAutoencoder(config, { seed: 4, dataShape });
  const result = tf.tidy(() => {
    const input = tf.tensor(x, [batch, ...dataShape]);
    if (lengths) attachLengths(input, lengths);
    const state = { epoch: 0, training: true };
    const forward = ae.forward(input, { training: true, seed: 0, lengths });
    const { value, grads } = tf.variableGrads(() => ae.loss.compute(ae.forward(input, { training: true, seed: 0, lengths }), input, state).total as tf.Scalar, ae.trainableVariables);
    return [forward.output, value, ...ae.trainableVariables.map((v) => grads[v.name]!)];
  });
  const values = result.map((t) => Array.from(t.dataSync()));
  const profile = await tf.profile(() => {
    const input = tf.tensor(x, [batch, ...dataShape]);
    if (lengths) attachLengths(input, lengths);
    tf.dispose(tf.grads((i: tf.Tensor) => ae.loss.compute(ae.forward(i, { training: true, seed: 0, lengths }), input, { epoch: 0, training: true }).total)([input]));
    input.dispose();
  });
  tf.dispose(result);
  ae.dispose();
  return { values, kernels: profile.kernels.map((k) => k.name) };
}

function expectSame(reference: number[][], actual: number[][], tolerance: number): void {
  expect(actual.length).toBe(reference.length);
  reference.forEach((expected, i) => {
    expect(actual[i]!.length).toBe(expected.length);
    const scale = Math.max(1e-3, ...expected.map(Math.abs));
    const worst = Math.max(...expected.map((v, j) => Math.abs(v - actual[i]![j]!)));
    expect(worst / scale, `tensor ${i} (output, loss, then each weight's gradient)`).toBeLessThan(tolerance);
  });
}

describe('the lstm family with fused layers', () => {
  const configs: Partial<LstmConfig>[] = [
    { latentDim: 5, units: 7 },
    { latentDim: 4, units: 6, layers: 2, outputActivation: 'sigmoid', loss: 'bce' },
    // Bidirectional: tfjs' wrapper rebuilds both directions from the layer's config as its own LSTMs, so only
    // the decoder's is fused.
    { latentDim: 4, units: 5, bidirectional: true },
  ];
  for (const config of configs) {
    it(`gives tfjs-layers' outputs and gradients, one kernel a layer on wasm (${JSON.stringify(config)})`, async () => {
      const x = sequences(JSON.stringify(config));
      const reference = await pass('cpu', { ...config, fused: false }, x);
      const fused = await pass('wasm', config, x);
      expectSame(reference.values, fused.values, 1e-4);
      // The encoder's LSTM layers (not a bidirectional one's) and the decoder's.
      const layers = (config.layers ?? 1) * (config.bidirectional ? 1 : 2);
      expect(fused.kernels.filter((k) => k === LSTM_SEQUENCE)).toHaveLength(layers);
      expect(fused.kernels.filter((k) => k === `${LSTM_SEQUENCE}Grad`)).toHaveLength(layers);
      // The per-step output layer runs once on all steps, not once a step (tfjs' LSTM unstacks the steps too).
      if (!config.bidirectional) {
        expect(fused.kernels.filter((k) => k === 'Unpack')).toHaveLength(0);
        expect(fused.kernels.length).toBeLessThan(reference.kernels.length / 5);
      }
    });
  }

  it("runs tfjs' own LSTM, with the same results, where the kernel does not apply: padded batches (a mask)", async () => {
    const x = sequences('padded');
    const lengths = Int32Array.from([9, 4, 7, 9, 2, 6]);
    const reference = await pass('cpu', { latentDim: 4, units: 5, fused: false }, x, lengths);
    const fused = await pass('wasm', { latentDim: 4, units: 5 }, x, lengths);
    expectSame(reference.values, fused.values, 1e-4);
    // The encoder sees the mask and runs tfjs' LSTM; the decoder, without one, runs the kernel.
    expect(fused.kernels.filter((k) => k === LSTM_SEQUENCE)).toHaveLength(1);
  });

  it('saves the same tfjs layers model as tfjs-layers builds, and exports it to ONNX with parity', async () => {
    await useBackend('wasm');
    const built = (fused: boolean): Autoencoder => createLstmAutoencoder({ latentDim: 4, units: 6, fused }, { seed: 2, dataShape });
    const [fused, plain] = [built(true), built(false)];
    const json = (ae: Autoencoder) => JSON.stringify((ae as unknown as { model: tf.LayersModel }).model.toJSON(null, false)).replace(/_\d+"/g, '"').replace(/\d+"/g, '"');
    expect(json(fused)).toBe(json(plain));
    expect(json(fused)).toContain('"class_name":"LSTM"');
    expect(json(fused)).toContain('"class_name":"TimeDistributed"');
    const model = (fused as unknown as { model: tf.LayersModel }).model;
    const bytes = exportAutoencoder(fused, { dataShape });
    expect(await measureParity(model, bytes)).toBeLessThan(1e-4);
    fused.dispose();
    plain.dispose();
  });

  it('trains as tfjs-layers does: the same losses epoch by epoch, and the same weights at the end', async () => {
    const rng = createRng('train');
    const data = Float32Array.from({ length: 96 * 27 }, () => rng());
    // Plain SGD: a step moves each weight in proportion to its gradient, so a wrong gradient shows in the
    // weights (Adam's first steps are about lr * sign(g) whatever the gradient's size).
    const train = async (fused: boolean) => {
      await useBackend('wasm');
      const ae = createLstmAutoencoder({ latentDim: 4, units: 6, fused }, { seed: 5, dataShape });
      const initial = ae.trainableVariables.map((v) => Array.from(v.dataSync()));
      const result = await fit(ae, new ArrayDataset(data, dataShape), { epochs: 2, batchSize: 32, optimizer: 'sgd', learningRate: 0.5, seed: 0 });
      const weights = ae.trainableVariables.map((v) => Array.from(v.dataSync()));
      ae.dispose();
      return { losses: result.history.map((h) => h.loss), moved: weights.map((w, i) => w.map((value, j) => value - initial[i]![j]!)) };
    };
    const [fused, plain] = [await train(true), await train(false)];
    fused.losses.forEach((loss, i) => expect(Math.abs(loss - plain.losses[i]!)).toBeLessThan(1e-5 * Math.max(1, plain.losses[i]!)));
    expect(fused.losses[1]).toBeLessThan(fused.losses[0]!);
    // How far each weight moved in training, fused against tfjs-layers' (relative to the largest move).
    expectSame(plain.moved, fused.moved, 1e-3);
  });
});
