import { afterAll, describe, expect, it } from 'vitest';
import { ArrayDataset, binaryCrossEntropy, composeAutoencoder, composeLoss, createRng, fit, LayersAutoencoder, stack, tf, useBackend } from '@aekit/core';
import { BINARY_CROSS_ENTROPY_SUM, BINARY_CROSS_ENTROPY_SUM_GRAD } from '@aekit/core/kernels';

afterAll(() => useBackend('cpu'));

/** A small dense autoencoder over 40 pixels with the loss reduced as `reduction`, from fixed weights. */
function smallModel(reduction: 'mean' | 'sum'): LayersAutoencoder {
  const dense = (units: number, activation: 'relu' | 'sigmoid', seed: number) =>
    tf.layers.dense({ units, activation, kernelInitializer: tf.initializers.glorotUniform({ seed }) });
  const parts = composeAutoencoder({ inputShape: [40], encode: stack([dense(12, 'relu', 1), dense(3, 'relu', 2)]), decode: stack([dense(12, 'relu', 3), dense(40, 'sigmoid', 4)]) });
  return new LayersAutoencoder({ family: 'small', config: {}, ...parts, loss: composeLoss(binaryCrossEntropy({ reduction })) });
}

/** Examples near one of three binary patterns, in [0, 1]. */
function patterns(n: number): ArrayDataset {
  const rng = createRng('loss-curve');
  const prototypes = Array.from({ length: 3 }, () => Array.from({ length: 40 }, () => (rng() < 0.5 ? 0 : 1)));
  const values = Float32Array.from({ length: n * 40 }, (_, i) => Math.min(1, Math.abs(prototypes[Math.floor(i / 40) % 3]![i % 40]! - rng() * 0.1)));
  return new ArrayDataset(values, [40]);
}

describe('the summed binary cross-entropy in training', () => {
  for (const reduction of ['mean', 'sum'] as const) {
    it(`gives the loss curve of the elementwise kernel and a reduction (${reduction})`, async () => {
      await useBackend('wasm');
      const names = [BINARY_CROSS_ENTROPY_SUM, BINARY_CROSS_ENTROPY_SUM_GRAD];
      const summed = names.map((name) => tf.getKernel(name, 'wasm')!);
      expect(summed.every(Boolean)).toBe(true);
      const train = async () => {
        const ae = smallModel(reduction);
        const result = await fit(ae, patterns(96), { epochs: 6, batchSize: 32, workers: 1, seed: 0, learningRate: 0.01 });
        ae.dispose();
        return result.history.map((epoch) => epoch.loss);
      };
      const withKernel = await train();
      names.forEach((name) => tf.unregisterKernel(name, 'wasm'));
      try {
        const composed = await train();
        // Sums in another order (double over blocks against float32 Mean/Sum): the curves agree to float rounding, and the model learns.
        withKernel.forEach((loss, i) => expect(Math.abs(loss - composed[i]!) / composed[i]!).toBeLessThan(1e-4));
        expect(withKernel.at(-1)!).toBeLessThan(withKernel[0]! * 0.9);
      } finally {
        summed.forEach((config) => tf.registerKernel(config));
      }
    });
  }
});
