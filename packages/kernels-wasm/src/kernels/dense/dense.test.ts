import { afterAll, describe, expect, it } from 'vitest';
import { createRng, tf, useBackend } from '@aekit/core';
import { DENSE, DENSE_GRAD } from '@aekit/core/kernels';

/** Arrays of `n` values in [-1, 1) drawn from a seed. */
function seededValues(seed: number, n: number): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: n }, () => 2 * rng() - 1);
}

/** A Dense layer's output and the gradients of `sum(y * r)` for its input, kernel and bias, and the kernels run. */
interface DenseRun {
  y: Float32Array;
  grads: Float32Array[];
  kernels: string[];
  /** Tensors the forward and backward passes left behind. */
  leaked: number;
}

/**
 * tfjs-layers' Dense layer with fixed weights on `backend`: forward and the
 * gradients of `sum(y * r)`, as training takes them (through the tape).
 */
async function runDense(backend: 'cpu' | 'wasm', shape: number[], units: number, activation: string, useBias: boolean, inputGradient = true): Promise<DenseRun> {
  await useBackend(backend);
  const features = shape[shape.length - 1]!;
  const layer = tf.layers.dense({ units, activation: activation as 'relu', useBias });
  const x = tf.variable(tf.tensor(seededValues(1, tf.util.sizeFromShape(shape)), shape));
  layer.apply(x);
  // Pre-activations around 0 with both signs: every branch of each activation's gradient.
  const weights = [tf.tensor(seededValues(2, features * units), [features, units])];
  if (useBias) weights.push(tf.tensor(seededValues(3, units), [units]));
  layer.setWeights(weights);
  const r = tf.tensor(seededValues(4, tf.util.sizeFromShape(shape.slice(0, -1)) * units), [...shape.slice(0, -1), units]);
  const variables = [...(inputGradient ? [x] : []), ...layer.trainableWeights.map((w) => w.read() as tf.Variable)];
  let y: Float32Array = new Float32Array();
  let grads: Float32Array[] = [];
  const before = tf.memory().numTensors;
  const profile = await tf.profile(async () => {
    const { value, grads: byName } = tf.variableGrads(() => {
      const out = layer.apply(x) as tf.Tensor;
      y = out.dataSync() as Float32Array;
      return tf.sum(tf.mul(out, r)) as tf.Scalar;
    }, variables);
    grads = variables.map((v) => byName[v.name]!.dataSync() as Float32Array);
    tf.dispose([value, ...Object.values(byName)]);
  });
  const leaked = tf.memory().numTensors - before;
  tf.dispose([x, r, ...weights]);
  layer.dispose();
  return { y, grads, kernels: profile.kernelNames, leaked };
}

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: number): void {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(actual[i]! - expected[i]!) / Math.max(1, Math.abs(expected[i]!)));
  expect(worst).toBeLessThan(tolerance);
}

describe('AekitDense: tfjs-layers Dense layers as one kernel each way', () => {
  afterAll(async () => {
    await useBackend('cpu');
  });

  for (const activation of ['linear', 'relu', 'sigmoid', 'tanh', 'elu']) {
    for (const useBias of [true, false]) {
      it(`gives tfjs' own output and gradients on cpu (${activation}, ${useBias ? 'with' : 'no'} bias)`, async () => {
        const reference = await runDense('cpu', [9, 13], 6, activation, useBias);
        expect(reference.kernels).not.toContain(DENSE);
        const actual = await runDense('wasm', [9, 13], 6, activation, useBias);
        expect(actual.leaked).toBe(0);
        expect(actual.kernels).toContain(DENSE);
        expect(actual.kernels).toContain(DENSE_GRAD);
        // One kernel forward, one back and the input's product; no bias or activation kernel through the engine.
        expect(actual.kernels.filter((k) => /MatMul|BiasAdd|^Add$|Relu|Sigmoid|Tanh|Elu/.test(k))).toEqual(['BatchMatMul']);
        expectClose(actual.y, reference.y, 1e-5);
        expect(actual.grads).toHaveLength(useBias ? 3 : 2);
        actual.grads.forEach((grad, i) => expectClose(grad, reference.grads[i]!, 1e-5));
      });
    }
  }

  it("skips the input's gradient where the tape does not ask for it (a model's first layer)", async () => {
    const reference = await runDense('cpu', [9, 13], 6, 'relu', true, false);
    const actual = await runDense('wasm', [9, 13], 6, 'relu', true, false);
    expect(actual.kernels.filter((k) => /MatMul/.test(k))).toEqual([]);
    expect(actual.grads).toHaveLength(2);
    actual.grads.forEach((grad, i) => expectClose(grad, reference.grads[i]!, 1e-5));
    expect(actual.leaked).toBe(0);
  });

  it("takes tfjs' own path for a softmax or a rank-3 input, with the same results", async () => {
    for (const [shape, activation] of [[[9, 13], 'softmax'], [[3, 4, 13], 'relu']] as const) {
      const reference = await runDense('cpu', [...shape], 5, activation, true);
      const actual = await runDense('wasm', [...shape], 5, activation, true);
      expect(actual.kernels).not.toContain(DENSE);
      expectClose(actual.y, reference.y, 1e-5);
      actual.grads.forEach((grad, i) => expectClose(grad, reference.grads[i]!, 1e-5));
    }
  });

  it('trains a small autoencoder to the loss curve of tfjs’ own layers (cpu)', async () => {
    const losses = async (backend: 'cpu' | 'wasm') => {
      await useBackend(backend);
      const model = tf.sequential({
        layers: [
          tf.layers.dense({ inputShape: [24], units: 8, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: 5 }) }),
          tf.layers.dense({ units: 4, activation: 'tanh', kernelInitializer: tf.initializers.glorotUniform({ seed: 6 }) }),
          tf.layers.dense({ units: 24, activation: 'sigmoid', kernelInitializer: tf.initializers.glorotUniform({ seed: 7 }) }),
        ],
      });
      model.compile({ optimizer: tf.train.adam(0.01), loss: 'meanSquaredError' });
      const data = tf.tensor(seededValues(8, 64 * 24).map((v) => (v + 1) / 2), [64, 24]);
      const history = await model.fit(data, data, { epochs: 30, batchSize: 16, shuffle: false, verbose: 0 });
      tf.dispose(data);
      model.dispose();
      return history.history.loss as number[];
    };
    const reference = await losses('cpu');
    const actual = await losses('wasm');
    expect(reference[reference.length - 1]!).toBeLessThan(reference[0]! * 0.8);
    expectClose(actual, reference, 1e-3);
  });
});
