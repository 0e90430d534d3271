import { execFileSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { FusedAdamOptimizer, tf, useBackend } from '@aekit/core';
import { lstmSequence, lstmSequenceAvailable, type LstmSequenceAttrs } from '@aekit/core/kernels';
import { heapKernels, lstmStep, lstmStepGradient, transposedProduct, type HeapFunction, type WasmHeapBackend } from '@aekit/kernels-wasm/heap';
import { nativeBinding } from '../src/native-state.js';
import { expectClose, seeded } from './support.js';

// The LSTM sequence's heap functions on native (native/lstm.h) against their wasm twins, the
// sequence kernel against tfjs-layers' own LSTM, and a small model trained on both backends.

afterAll(() => useBackend('cpu'));

const GATES: { hard: number; activation: LstmSequenceAttrs['recurrentActivation'] }[] = [
  { hard: 1, activation: 'hardSigmoid' },
  { hard: 0, activation: 'sigmoid' },
];

/** Each backend's outputs of `compute`, read back; `compute` frees what it makes but what it returns. */
async function onWasmAndNative(compute: () => tf.Tensor[]): Promise<{ wasm: Float32Array[]; native: Float32Array[] }> {
  const run = async (backend: 'wasm' | 'native') => {
    await useBackend(backend);
    const before = tf.memory().numTensors;
    const outputs = compute();
    const values = outputs.map((t) => Float32Array.from(t.dataSync()));
    tf.dispose(outputs);
    expect(tf.memory().numTensors).toBe(before);
    return values;
  };
  return { wasm: await run('wasm'), native: await run('native') };
}

/** Expects the same floats, bit for bit (a zero's sign and NaNs included), naming the first that differs. */
function expectSameFloats(actual: Float32Array, expected: Float32Array, what: string): void {
  expect(actual.length, what).toBe(expected.length);
  const [a, e] = [new Uint32Array(actual.buffer, actual.byteOffset, actual.length), new Uint32Array(expected.buffer, expected.byteOffset, expected.length)];
  const first = a.findIndex((bits, i) => bits !== e[i]);
  if (first >= 0) throw new Error(`${what}, element ${first}: expected ${expected[first]}, got ${actual[first]}`);
}

/** Runs `fn` on the heap of the backend in use over fresh tensors of `inputs` (null: an absent pointer) and returns them all. */
function runOnHeap<S extends readonly string[]>(fn: HeapFunction<S>, inputs: (Float32Array | null)[], sizes: number[]): tf.Tensor[] {
  const kernels = heapKernels(tf.backend() as WasmHeapBackend);
  if (!kernels) throw new Error('the heap kernels did not instantiate');
  const tensors: (tf.Tensor | null)[] = inputs.map((values) => (values ? tf.tensor1d(values) : null));
  kernels.run(fn, tensors.map((tensor) => (tensor ? { tensor } : null)), sizes);
  return tensors.filter((t): t is tf.Tensor => t !== null);
}

describe('the LSTM heap functions: native twins of the wasm ones', () => {
  it('are the addon\'s own, routed to on the native backend', () => {
    const binding = nativeBinding().binding!;
    for (const name of ['lstmStep', 'lstmStepGradient', 'transposedProduct']) expect(typeof binding[name]).toBe('function');
  });

  // 7 units: under one vector; 37: vectors and a tail; a batch of 67 x 37 units is split over the threads.
  const shapes = [
    [3, 4, 7],
    [67, 5, 37],
  ];
  for (const [batch, steps, units] of shapes) {
    for (const { hard, activation } of GATES) {
      for (const step of [0, 2, steps! - 1]) {
        it(`lstmStep: step ${step} of ${steps} over [${batch}, ${units} units] with ${activation} gates, the wasm kernel's floats`, async () => {
          const [all, gates] = [batch! * steps! * units!, 4 * units!];
          // Pre-activations over +-4 (hardSigmoid's flat parts too); a stale h and hStep, overwritten.
          const inputs = [seeded('z', all * 4, -4, 4), step > 0 ? seeded('rec', batch! * gates, -2, 2) : null, seeded('c', all), seeded('h', all), seeded('hs', batch! * units!)];
          const results = await onWasmAndNative(() => runOnHeap(lstmStep, inputs, [batch!, steps!, units!, step, hard]));
          // z, (the recurrent product), c, h and hStep, to the bit.
          results.native.forEach((values, i) => expectSameFloats(values, results.wasm[i]!, `output ${i}`));
          expect(results.native.at(-1)).not.toEqual(inputs[4]);
        });

        it(`lstmStepGradient: step ${step} of ${steps} over [${batch}, ${units} units] with ${activation} gates, the wasm kernel's floats`, async () => {
          const [all, one] = [batch! * steps! * units!, batch! * units!];
          const last = step === steps! - 1;
          const inputs = [
            seeded('gz', 4 * all, -3, 3),
            seeded('gc', all),
            seeded('gdh', all),
            last ? null : seeded('grec', one),
            seeded('gdc', one),
            seeded('gdz', 4 * all),
            seeded('gdzs', 4 * one),
          ];
          const results = await onWasmAndNative(() => runOnHeap(lstmStepGradient, inputs, [batch!, steps!, units!, step, hard]));
          results.native.forEach((values, i) => expectSameFloats(values, results.wasm[i]!, `output ${i}`));
        });
      }
    }
  }

  it('lstmStepGradient: a sequence of one step (the first and the last), both gate kinds', async () => {
    for (const { hard } of GATES) {
      const inputs = [seeded('oz', 4 * 15, -3, 3), seeded('oc', 15), seeded('odh', 15), null, seeded('odc', 15), seeded('odz', 60), seeded('odzs', 60)];
      const results = await onWasmAndNative(() => runOnHeap(lstmStepGradient, inputs, [3, 1, 5, 0, hard]));
      results.native.forEach((values, i) => expectSameFloats(values, results.wasm[i]!, `output ${i}`));
    }
  });

  // Small, then the decoder's shapes of the bench's lstm family: 32 sequences of 28 steps, 64 units (the products run on both threads).
  for (const [sequences, steps, m, n] of [
    [9, 3, 6, 12],
    [32, 28, 64, 256],
  ]) {
    for (const lag of [0, 1]) {
      it(`transposedProduct: a[k - ${lag}]^T b[k] over ${sequences} sequences of ${steps} steps into [${m}, ${n}], as the wasm kernel and the formula`, async () => {
        const rows = sequences! * steps!;
        const [a, b] = [seeded('ta', rows * m!), seeded('tb', rows * n!)];
        const results = await onWasmAndNative(() => runOnHeap(transposedProduct, [a, b, seeded('stale', m! * n!)], [sequences!, steps!, m!, n!, lag]));
        const expected = new Float64Array(m! * n!);
        for (let k = 0; k < rows; k++) {
          if (k % steps! < lag) continue;
          for (let i = 0; i < m!; i++) for (let j = 0; j < n!; j++) expected[i * n! + j] += a[(k - lag) * m! + i]! * b[k * n! + j]!;
        }
        // Sums of up to 900 products in another order than wasm's: within float32 rounding of them.
        expectClose(results.native[2]!, expected, 2e-5);
        expectClose(results.native[2]!, results.wasm[2]!, 2e-5);
      });
    }
  }

  it('gives the same floats on the SSE2 build as on the one the CPU chose', () => {
    const script = new URL('./lstm-isa-sample.mjs', import.meta.url).pathname;
    const run = (isa: string) => JSON.parse(execFileSync(process.execPath, [script], { env: { ...process.env, AEKIT_NATIVE_ISA: isa }, encoding: 'utf8' })) as { isa: string; steps: number[]; product: number[] };
    const [chosen, baseline] = [run(''), run('sse2')];
    expect(baseline.isa).toBe('sse2');
    expect(chosen.steps.length).toBeGreaterThan(1000);
    // The gates' arithmetic is the same operations on every build; the products are Eigen's, blocked per build.
    expect(chosen.steps).toEqual(baseline.steps);
    expectClose(chosen.product, baseline.product, 1e-5);
  });
});

describe('bounds refusals of the LSTM heap functions', () => {
  it('refuses a cell buffer too short, a step past the sequence and another gate code before native code runs, leaving the output untouched', async () => {
    await useBackend('native');
    const kernels = heapKernels(tf.backend() as WasmHeapBackend)!;
    const [batch, steps, units] = [2, 3, 4];
    const [z, c, h, hStep, shortC] = [tf.zeros([batch * steps * 4 * units]), tf.zeros([batch * steps * units]), tf.fill([batch * steps * units], 7), tf.zeros([batch * units]), tf.zeros([batch * steps * units - 1])];
    const call = (cell: tf.Tensor, step: number, hard: number) => () => kernels.run(lstmStep, [{ tensor: z }, null, { tensor: cell }, { tensor: h }, { tensor: hStep }], [batch, steps, units, step, hard]);
    expect(call(shortC, 0, 1)).toThrow(/lstmStep: c spans elements \[0, 24\) of a tensor of 23/);
    expect(call(c, 3, 1)).toThrow(/step 3 is past a sequence of 3 steps/);
    expect(call(c, 0, 2)).toThrow(/hard must be 0/);
    expect(Array.from(h.dataSync())).toEqual(Array(batch * steps * units).fill(7));
    const [a, b, product] = [tf.zeros([12]), tf.zeros([36]), tf.zeros([18])];
    expect(() => kernels.run(transposedProduct, [{ tensor: a }, { tensor: b }, { tensor: product }], [3, 3, 2, 4, 0])).toThrow(/transposedProduct: a spans elements \[0, 18\) of a tensor of 12/);
    tf.dispose([z, c, h, hStep, shortC, a, b, product]);
  });

  it('the addon itself refuses regions reaching past the heap, steps past the sequence and wrong arguments', () => {
    const binding = nativeBinding().binding!;
    const memory = new WebAssembly.Memory({ initial: 1 });
    const heap = new Float32Array(memory.buffer);
    heap.fill(3);
    const [step, gradient, product] = ['lstmStep', 'lstmStepGradient', 'transposedProduct'].map((name) => binding[name] as (...args: unknown[]) => void);
    // 64 KiB hold 16,384 floats: a batch of 100 x 10 steps x 4 units of c (4,000 floats) from float 14,000 does not fit.
    expect(() => step!(memory.buffer, 0, -1, 56000, 0, 0, 100, 10, 4, 0, 1)).toThrow(/a region reaches past the heap/);
    expect(() => step!(memory.buffer, 0, -1, 70000, 0, 0, 1, 1, 1, 0, 1)).toThrow(/a pointer lies outside the heap/);
    expect(() => step!(memory.buffer, 0, -1, 0, 0, 0, 1, 2, 1, 2, 1)).toThrow(/step past the sequence/);
    expect(() => step!(memory.buffer, 0, -1, 0, 0, 0, 1, 2, 1, 0, 3)).toThrow(/hard not 0 or 1/);
    expect(() => gradient!(memory.buffer, 0, 0, 0, -1, 0, 0, 0, 100, 10, 10, 9, 0)).toThrow(/a region reaches past the heap/);
    expect(() => gradient!(memory.buffer, 0, 0, 0, -1, 0, 0, 0, 1, 1, 1, 0)).toThrow(/wrong number of arguments/);
    expect(() => product!(memory.buffer, 0, 0, 0, 100, 28, 8, 8, 0)).toThrow(/a region reaches past the heap/);
    expect(() => product!(memory.buffer, 0, 0, 0, 1, 2, 2, 4, 2)).toThrow(/lag must be 0 or 1/);
    expect(() => product!(memory.buffer, 0, 0, 0, 1, -2, 2, 4, 0)).toThrow(/non-negative/);
    // Nothing was written.
    expect(heap.every((v) => v === 3)).toBe(true);
  });
});

const [batch, steps, features, units] = [5, 6, 3, 7];

/** Seeded LSTM weights (kernel, recurrent kernel, bias) as tfjs-layers stacks the gates. */
const weights = (seed: string) => [seeded(`${seed}-w`, features * 4 * units, -0.6, 0.6), seeded(`${seed}-r`, units * 4 * units, -0.6, 0.6), seeded(`${seed}-b`, 4 * units, -0.3, 0.3)];
const weightShapes = [
  [features, 4 * units],
  [units, 4 * units],
  [4 * units],
];

describe('the sequence kernel on native against tfjs-layers\' LSTM on cpu', () => {
  for (const { activation } of GATES) {
    it(`gives its every step's output and the gradients of x and of every weight (${activation} gates)`, async () => {
      const x = seeded('lx', batch * steps * features, -1, 1);
      const upstream = seeded('lg', batch * steps * units, -1, 1);
      const w = weights(activation);
      // tfjs' own LSTM layer, on tfjs' cpu kernels.
      await useBackend('cpu');
      const layer = tf.layers.lstm({ units, returnSequences: true, recurrentActivation: activation });
      const reference = tf.tidy(() => {
        const [input, g] = [tf.tensor(x, [batch, steps, features]), tf.tensor(upstream, [batch, steps, units])];
        layer.apply(input); // builds the layer's weights, then set
        layer.setWeights(w.map((values, i) => tf.tensor(values, weightShapes[i])));
        const objective = (xs: tf.Tensor) => tf.sum(tf.mul(layer.apply(xs) as tf.Tensor, g));
        const dx = tf.grad(objective)(input);
        const variables = layer.trainableWeights.map((v) => v.read() as tf.Variable);
        const { grads } = tf.variableGrads(() => objective(input) as tf.Scalar, variables);
        return [layer.apply(input) as tf.Tensor, dx, ...variables.map((v) => grads[v.name]!)].map((t) => t.dataSync().slice());
      });
      layer.dispose();
      // The fused kernel on native.
      await useBackend('native');
      expect(lstmSequenceAvailable()).toBe(true);
      const fused = tf.tidy(() => {
        const [input, g] = [tf.tensor(x, [batch, steps, features]), tf.tensor(upstream, [batch, steps, units])];
        const [kernel, recurrent, bias] = w.map((values, i) => tf.tensor(values, weightShapes[i]));
        const run = (...args: tf.Tensor[]) => lstmSequence(args[0]!, args[1]!, args[2]!, args[3]!, activation);
        const gradients = tf.grads((...args: tf.Tensor[]) => tf.sum(tf.mul(run(...args), g)))([input, kernel!, recurrent!, bias!]);
        return [run(input, kernel!, recurrent!, bias!), ...gradients].map((t) => t.dataSync().slice());
      });
      reference.forEach((expected, i) => expectClose(fused[i]!, expected, 2e-5));
    });
  }
});

describe('training a small LSTM on native', () => {
  it('gives the losses of the same training on wasm, step by step, and learns', async () => {
    const x = seeded('train-x', batch * steps * features, 0, 1);
    const train = async (backend: 'wasm' | 'native') => {
      await useBackend(backend);
      const variables = [...weights('train'), seeded('train-d', units * features, -0.4, 0.4), new Float32Array(features)].map((values, i) =>
        tf.variable(tf.tensor(values, [...weightShapes, [units, features], [features]][i])),
      );
      const [kernel, recurrent, bias, dense, denseBias] = variables as [tf.Variable, tf.Variable, tf.Variable, tf.Variable, tf.Variable];
      const optimizer = new FusedAdamOptimizer(0.02);
      const input = tf.tensor(x, [batch, steps, features]);
      const losses: number[] = [];
      for (let step = 0; step < 30; step++) {
        const loss = optimizer.minimize(() => {
          const h = lstmSequence(input, kernel, recurrent, bias, 'hardSigmoid');
          const y = tf.add(tf.matMul(tf.reshape(h, [batch * steps, units]), dense), denseBias);
          return tf.losses.meanSquaredError(tf.reshape(input, [batch * steps, features]), y) as tf.Scalar;
        }, true)!;
        losses.push(loss.dataSync()[0]!);
        loss.dispose();
      }
      tf.dispose([...variables, input]);
      optimizer.dispose();
      return losses;
    };
    const [wasm, native] = [await train('wasm'), await train('native')];
    expectClose(native, wasm, 1e-4);
    expect(native.at(-1)!).toBeLessThan(0.5 * native[0]!);
  });
});
