import { afterAll, describe, expect, it } from 'vitest';
import { binaryCrossEntropy, createRng, tf, useBackend } from '@aekit/core';
import { LSTM_SEQUENCE, lstmSequence, type LstmSequenceAttrs } from '@aekit/core/kernels';
import type { WasmHeapBackend } from '../src/heap/heap-backend.js';
import { adamUpdateWasm } from '../src/kernels/adam-update/wasm.js';
import {
  binaryCrossEntropyGradWasm,
  binaryCrossEntropySumGradWasm,
  binaryCrossEntropySumWasm,
  binaryCrossEntropyWasm,
} from '../src/kernels/binary-cross-entropy/wasm.js';
import { reluGradWasm } from '../src/kernels/relu-grad/wasm.js';
import { sigmoidGradWasm } from '../src/kernels/sigmoid-grad/wasm.js';
import { lstmSequenceGradWasm, lstmSequenceWasm } from '../src/kernels/lstm-sequence/wasm.js';

/** The largest `|reference[i] - actual[i]|`, each divided by `max(1, |reference[i]|)` when `relative`. */
function largestDifference(reference: ArrayLike<number>, actual: ArrayLike<number>, relative = false): number {
  let worst = 0;
  for (let i = 0; i < reference.length; i++) {
    const difference = Math.abs(reference[i] - actual[i]);
    worst = Math.max(worst, relative ? difference / Math.max(1, Math.abs(reference[i])) : difference);
  }
  return worst;
}

/** A tensor's values, shape and dtype, read back. */
type Result = { values: number[]; shape: number[]; dtype: tf.DataType };

/**
 * `compute` run on the cpu backend (the reference) and then on wasm, each
 * result read back and freed; the wasm run must free every tensor it makes.
 */
async function onCpuAndWasm(compute: () => tf.Tensor): Promise<{ reference: Result; actual: Result }> {
  const run = async (backend: 'cpu' | 'wasm'): Promise<Result> => {
    await useBackend(backend);
    const y = tf.tidy(compute);
    const result = { values: Array.from(await y.data()), shape: y.shape, dtype: y.dtype };
    y.dispose();
    return result;
  };
  const reference = await run('cpu');
  const before = tf.memory().numTensors;
  const actual = await run('wasm');
  expect(tf.memory().numTensors).toBe(before);
  return { reference, actual };
}

/**
 * Every kernel of the table against tfjs' cpu kernels, through tfjs' ops as
 * training calls them: random shapes, strides, paddings and odd sizes.
 */
describe('wasm kernels against the cpu backend', () => {
  afterAll(async () => {
    await useBackend('cpu');
  });

  const cases: { x: [number, number, number, number]; k: number; co: number; stride: number; pad: 'same' | 'valid' | number[][] }[] = [
    { x: [2, 7, 7, 3], k: 3, co: 4, stride: 1, pad: 'same' },
    { x: [3, 9, 8, 2], k: 3, co: 5, stride: 2, pad: 'same' },
    { x: [2, 11, 10, 1], k: 5, co: 3, stride: 2, pad: 'valid' },
    { x: [1, 6, 6, 4], k: 2, co: 2, stride: 1, pad: 'valid' },
    { x: [2, 8, 7, 2], k: 3, co: 3, stride: 1, pad: [[0, 0], [1, 2], [0, 1], [0, 0]] },
    { x: [4, 28, 28, 1], k: 3, co: 16, stride: 1, pad: 'same' },
    { x: [2, 9, 9, 16], k: 3, co: 8, stride: 1, pad: 'same' },
    // Fewer than 4 output channels at stride 1: x and dy swap roles.
    { x: [3, 9, 9, 16], k: 3, co: 1, stride: 1, pad: 'same' },
    { x: [2, 8, 7, 8], k: 3, co: 2, stride: 1, pad: 'valid' },
    { x: [2, 7, 8, 5], k: 2, co: 3, stride: 1, pad: [[0, 0], [1, 0], [0, 1], [0, 0]] },
    { x: [2, 10, 9, 6], k: 5, co: 1, stride: 1, pad: 'same' },
    { x: [2, 10, 9, 12], k: 3, co: 4, stride: 2, pad: 'valid' },
    { x: [2, 8, 8, 4], k: 5, co: 3, stride: 2, pad: [[0, 0], [2, 1], [1, 2], [0, 0]] },
    // One channel on one side and a multiple of 4 on the other: summed on the heap.
    { x: [3, 9, 7, 1], k: 3, co: 4, stride: 2, pad: 'same' },
    { x: [2, 10, 11, 1], k: 4, co: 20, stride: 1, pad: 'valid' },
    { x: [2, 13, 9, 1], k: 3, co: 8, stride: 3, pad: [[0, 0], [2, 0], [1, 2], [0, 0]] },
    { x: [2, 9, 10, 8], k: 3, co: 1, stride: 2, pad: [[0, 0], [0, 2], [2, 1], [0, 0]] },
    { x: [2, 12, 11, 36], k: 5, co: 1, stride: 1, pad: 'same' },
    // Up to 32 channels a side and rows of 7 or more: summed on the heap too, the wider side as vectors,
    // two narrow-side channels at a time (and one where an odd one is left).
    { x: [2, 5, 13, 8], k: 3, co: 32, stride: 1, pad: 'same' },
    { x: [2, 8, 8, 8], k: 3, co: 8, stride: 1, pad: 'same' },
    { x: [2, 7, 7, 3], k: 3, co: 8, stride: 1, pad: 'same' },
    { x: [2, 5, 26, 20], k: 3, co: 6, stride: 2, pad: 'valid' },
    { x: [2, 4, 14, 8], k: 3, co: 4, stride: 1, pad: 'same' },
    { x: [2, 6, 6, 40], k: 3, co: 8, stride: 1, pad: 'same' }, // 40: XNNPACK again
  ];

  for (const c of cases) {
    it(`matches cpu for x=[${c.x}] k=${c.k} stride=${c.stride} pad=${JSON.stringify(c.pad)}`, async () => {
      const rng = createRng(JSON.stringify(c));
      const xValues = Float32Array.from({ length: c.x.reduce((a, b) => a * b) }, () => rng() * 2 - 1);
      const filterShape: [number, number, number, number] = [c.k, c.k, c.x[3], c.co];
      const wValues = Float32Array.from({ length: filterShape.reduce((a, b) => a * b) }, () => rng() * 2 - 1);
      const gradient = async (backend: 'cpu' | 'wasm') => {
        await useBackend(backend);
        const x = tf.tensor4d(xValues, c.x);
        const w = tf.tensor4d(wValues, filterShape);
        const grads = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
          tf.sum(tf.square(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.stride, c.pad as 'same'))),
        )([x, w]);
        const values = { dx: await grads[0].data(), dw: await grads[1].data(), shape: grads[1].shape };
        tf.dispose([x, w, ...grads]);
        return values;
      };
      const reference = await gradient('cpu');
      const before = tf.memory().numTensors;
      const actual = await gradient('wasm');
      expect(tf.memory().numTensors).toBe(before);
      expect(actual.shape).toEqual(filterShape);
      const scale = Math.max(1, ...Array.from(reference.dw, Math.abs));
      expect(largestDifference(reference.dw, actual.dw) / scale).toBeLessThan(1e-5);
      const scaleDx = Math.max(1, ...Array.from(reference.dx, Math.abs));
      expect(largestDifference(reference.dx, actual.dx) / scaleDx).toBeLessThan(1e-5);
    });
  }

  const transposedCases: { stride: number; pad: 'same' | 'valid'; out: [number, number] }[] = [
    { stride: 1, pad: 'same', out: [5, 6] },
    { stride: 2, pad: 'same', out: [10, 12] },
    { stride: 2, pad: 'same', out: [9, 11] },
    { stride: 2, pad: 'valid', out: [11, 13] },
    { stride: 3, pad: 'same', out: [15, 18] },
  ];
  for (const { stride, pad, out } of transposedCases) {
    it(`transposed convolution (stride ${stride}, ${pad}, output ${out.join('x')}) matches cpu, through the wrapped Conv2DBackpropInput`, async () => {
      const rng = createRng(`transpose-${stride}-${pad}-${out}`);
      const x = Float32Array.from({ length: 2 * 5 * 6 * 3 }, () => rng() * 2 - 1);
      const w = Float32Array.from({ length: 3 * 3 * 4 * 3 }, () => rng() * 2 - 1);
      const outShape: [number, number, number, number] = [2, out[0], out[1], 4];
      const { reference, actual } = await onCpuAndWasm(() =>
        tf.conv2dTranspose(tf.tensor4d(x, [2, 5, 6, 3]), tf.tensor4d(w, [3, 3, 4, 3]), outShape, stride, pad),
      );
      expect(actual.values.length).toBe(reference.values.length);
      expect(largestDifference(reference.values, actual.values)).toBeLessThan(1e-4);
    });
  }

  // Reference: each output pixel copies the input pixel it covers, and each
  // input pixel's gradient is the sum of its sh x sw block of dy. (Not the cpu
  // backend's own gradient kernel, which mixes up batch examples: see
  // src/kernels/resize-nearest-neighbor-grad/resize-nearest-neighbor-grad.test.ts.)
  // Channels that are a multiple of 4 take the wasm heap kernels.
  for (const backend of ['wasm', 'cpu'] as const) {
    for (const [h, w, sh, sw, c] of [[4, 5, 2, 2, 3], [3, 3, 3, 3, 3], [4, 5, 2, 2, 8], [3, 4, 2, 3, 12]] as const) {
      it(`nearest up-sampling of [2, ${h}, ${w}, ${c}] by ${sh}x${sw} and its gradient are exact on ${backend}`, async () => {
        const rng = createRng(`resize-${h}-${w}-${sh}-${sw}-${c}`);
        const [n, H, W] = [2, h * sh, w * sw];
        const x = Float32Array.from({ length: n * h * w * c }, () => rng());
        const g = Float32Array.from({ length: n * H * W * c }, () => rng() * 2 - 1);
        await useBackend(backend);
        const layer = tf.layers.upSampling2d({ size: [sh, sw] });
        const input = tf.tensor4d(x, [n, h, w, c]);
        const weight = tf.tensor4d(g, [n, H, W, c]);
        const up = layer.apply(input) as tf.Tensor;
        const y = await up.data();
        const dx = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(layer.apply(t) as tf.Tensor, weight)))(input);
        const actual = await dx.data();
        tf.dispose([input, weight, up, dx]);
        for (let b = 0; b < n; b++)
          for (let i = 0; i < H; i++)
            for (let j = 0; j < W; j++)
              for (let k = 0; k < c; k++) {
                expect(y[((b * H + i) * W + j) * c + k]).toBe(x[((b * h + Math.floor(i / sh)) * w + Math.floor(j / sw)) * c + k]);
              }
        for (let b = 0; b < n; b++)
          for (let i = 0; i < h; i++)
            for (let j = 0; j < w; j++)
              for (let k = 0; k < c; k++) {
                let sum = 0;
                for (let di = 0; di < sh; di++)
                  for (let dj = 0; dj < sw; dj++) sum += g[((b * H + i * sh + di) * W + j * sw + dj) * c + k];
                expect(actual[((b * h + i) * w + j) * c + k]).toBeCloseTo(sum, 5);
              }
      });
    }
  }

  it('a clone on wasm shares memory with its source and outlives it', async () => {
    await useBackend('wasm');
    const before = tf.memory();
    const a = tf.tensor([1, 2, 3, 4], [2, 2]);
    const b = tf.clone(a);
    expect(tf.memory().numDataBuffers - before.numDataBuffers).toBe(1);
    a.dispose();
    expect(Array.from(await b.data())).toEqual([1, 2, 3, 4]);
    const c = tf.add(b, 1);
    b.dispose();
    expect(Array.from(await c.data())).toEqual([2, 3, 4, 5]);
    c.dispose();
    expect(tf.memory().numTensors).toBe(before.numTensors);
    expect(tf.memory().numDataBuffers).toBe(before.numDataBuffers);
  });

  it('a cast on wasm to the same dtype shares memory; to another dtype it still converts', async () => {
    await useBackend('wasm');
    const before = tf.memory();
    const a = tf.tensor([1.5, -2.5, 0, 4], [2, 2]);
    const same = tf.cast(a, 'float32');
    expect(tf.memory().numDataBuffers - before.numDataBuffers).toBe(1);
    const whole = tf.cast(a, 'int32');
    a.dispose();
    expect([same.dtype, Array.from(await same.data())]).toEqual(['float32', [1.5, -2.5, 0, 4]]);
    expect([whole.dtype, Array.from(await whole.data())]).toEqual(['int32', [1, -2, 0, 4]]);
    const back = tf.cast(whole, 'int32');
    whole.dispose();
    expect(Array.from(await back.data())).toEqual([1, -2, 0, 4]);
    tf.dispose([same, back]);
    expect(tf.memory().numTensors).toBe(before.numTensors);
    expect(tf.memory().numDataBuffers).toBe(before.numDataBuffers);
  });

  const poolCases: { x: [number, number, number, number]; size: number; stride: number; pad: 'same' | 'valid'; ties: boolean }[] = [
    { x: [3, 28, 28, 16], size: 2, stride: 2, pad: 'same', ties: true },
    { x: [2, 7, 7, 8], size: 2, stride: 2, pad: 'same', ties: false },
    { x: [2, 9, 8, 3], size: 3, stride: 2, pad: 'valid', ties: true },
    { x: [1, 6, 7, 5], size: 3, stride: 1, pad: 'same', ties: false },
    { x: [2, 5, 5, 2], size: 2, stride: 3, pad: 'valid', ties: true },
    // Disjoint windows and a multiple of 4 channels: the heap kernel, also with gaps and clipped edges.
    { x: [2, 9, 9, 12], size: 3, stride: 3, pad: 'valid', ties: true },
    { x: [2, 6, 7, 4], size: 2, stride: 3, pad: 'same', ties: true },
    { x: [1, 5, 5, 20], size: 2, stride: 2, pad: 'same', ties: false },
  ];
  for (const c of poolCases) {
    it(`max-pooling gradient matches cpu for x=[${c.x}] size=${c.size} stride=${c.stride} ${c.pad}${c.ties ? ', with ties' : ''}`, async () => {
      const rng = createRng(`pool-${JSON.stringify(c)}`);
      // With ties: a relu'd input, so most windows hold several equal values (zero) as blank image regions do.
      const xValues = Float32Array.from({ length: c.x.reduce((a, b) => a * b) }, () => (c.ties ? Math.max(0, Math.round(rng() * 4 - 2)) : rng() * 2 - 1));
      const gradient = async (backend: 'cpu' | 'wasm') => {
        await useBackend(backend);
        const x = tf.tensor4d(xValues, c.x);
        // A weight per output cell, so that every cell's gradient is told apart.
        const dx = tf.grad((a: tf.Tensor) => {
          const y = tf.maxPool(a as tf.Tensor4D, c.size, c.stride, c.pad);
          return tf.sum(tf.mul(y, tf.range(1, y.size + 1).reshape(y.shape)));
        })(x);
        const values = await dx.data();
        tf.dispose([x, dx]);
        return values;
      };
      const reference = await gradient('cpu');
      const before = tf.memory().numTensors;
      const actual = await gradient('wasm');
      expect(tf.memory().numTensors).toBe(before);
      expect(actual.length).toBe(reference.length);
      expect(largestDifference(reference, actual, true)).toBeLessThan(1e-6);
      expect(Array.from(reference).some((v) => v !== 0)).toBe(true);
    });
  }

  const oneChannel: { x: [number, number, number, number]; k: [number, number]; out: number; stride: number; pad: 'same' | 'valid' | number[][]; activation?: tf.fused.Activation; bias: boolean }[] = [
    // One output channel: an image decoder's last layer.
    { x: [3, 9, 9, 16], k: [3, 3], out: 1, stride: 1, pad: 'same', activation: 'sigmoid', bias: true },
    { x: [2, 10, 7, 4], k: [3, 2], out: 1, stride: 2, pad: 'valid', bias: false },
    { x: [2, 8, 9, 12], k: [5, 5], out: 1, stride: 3, pad: [[0, 0], [2, 1], [0, 3], [0, 0]], activation: 'relu', bias: true },
    { x: [1, 6, 6, 8], k: [3, 3], out: 1, stride: 1, pad: 'same', activation: 'leakyrelu', bias: true },
    { x: [1, 6, 6, 8], k: [3, 3], out: 1, stride: 1, pad: 'same', activation: 'prelu', bias: false },
    { x: [2, 5, 6, 20], k: [2, 2], out: 1, stride: 1, pad: 'same', activation: 'elu', bias: true },
    { x: [1, 3, 4, 36], k: [5, 5], out: 1, stride: 1, pad: 'same', bias: true }, // a filter wider than the image
    // One input channel: an image encoder's first layer (16, 32 ...), multiples of 4 that end in a partial block of 16, and fewer than 16 (the backend's own).
    { x: [3, 9, 9, 1], k: [3, 3], out: 16, stride: 1, pad: 'same', activation: 'relu', bias: true },
    { x: [2, 10, 7, 1], k: [3, 2], out: 28, stride: 2, pad: 'valid', bias: false },
    { x: [2, 8, 9, 1], k: [5, 5], out: 8, stride: 3, pad: [[0, 0], [2, 1], [0, 3], [0, 0]], activation: 'sigmoid', bias: true },
    { x: [1, 6, 6, 1], k: [3, 3], out: 4, stride: 1, pad: 'same', activation: 'prelu', bias: false },
    { x: [1, 3, 4, 1], k: [5, 5], out: 36, stride: 1, pad: 'same', bias: true },
    { x: [2, 5, 5, 1], k: [3, 3], out: 20, stride: 1, pad: 'same', bias: true },
    { x: [2, 5, 5, 1], k: [3, 3], out: 6, stride: 1, pad: 'same', bias: true }, // not a multiple of 4: the backend's own
  ];
  for (const c of oneChannel) {
    it(`convolution of [${c.x}] by ${c.k.join('x')} into ${c.out} channel(s) (stride ${c.stride}, ${JSON.stringify(c.pad)}, ${c.activation ?? 'linear'}${c.bias ? ', bias' : ''}) matches cpu`, async () => {
      const rng = createRng(`single-${JSON.stringify(c)}`);
      const values = (n: number) => Float32Array.from({ length: n }, () => rng() * 2 - 1);
      const filterShape: [number, number, number, number] = [...c.k, c.x[3], c.out];
      const [x, w, b, alpha] = [values(c.x.reduce((m, d) => m * d)), values(filterShape.reduce((m, d) => m * d)), values(c.out), values(c.out)];
      const { reference, actual } = await onCpuAndWasm(() => {
        const input = tf.tensor4d(x, c.x);
        const filter = tf.tensor4d(w, filterShape);
        const plain = tf.conv2d(input, filter, c.stride, c.pad as 'same');
        const fused = tf.fused.conv2d({
          x: input,
          filter,
          strides: c.stride,
          pad: c.pad as 'same',
          bias: c.bias ? tf.tensor1d(b) : undefined,
          activation: c.activation,
          preluActivationWeights: c.activation === 'prelu' ? tf.tensor1d(alpha) : undefined,
          leakyreluAlpha: 0.3,
        });
        return tf.concat([plain.flatten(), fused.flatten()]);
      });
      expect(actual.values.length).toBe(reference.values.length);
      expect(largestDifference(reference.values, actual.values)).toBeLessThan(1e-5);
    });
  }

  const permutations: { shape: number[]; perm: number[]; dtype?: 'int32' }[] = [
    { shape: [5, 7, 6, 16], perm: [1, 2, 0, 3] }, // the filter gradient's swap of outer axes
    { shape: [5, 7, 6, 16], perm: [3, 1, 2, 0] }, // channels and batch exchanged
    { shape: [9, 13], perm: [1, 0] }, // edges that are not multiples of 4
    { shape: [37, 70], perm: [1, 0] }, // several 32x32 tiles
    { shape: [3, 10, 9], perm: [0, 2, 1] },
    { shape: [6, 1, 5, 11], perm: [3, 1, 2, 0], dtype: 'int32' },
    { shape: [2, 3, 4, 5], perm: [3, 2, 1, 0] }, // no heap kernel: the backend's own
    { shape: [4, 5, 3], perm: [0, 1, 2] },
  ];
  for (const { shape, perm, dtype = 'float32' } of permutations) {
    it(`transpose of [${shape}] by [${perm}] (${dtype}) matches cpu exactly`, async () => {
      const size = shape.reduce((a, b) => a * b, 1);
      const values = Array.from({ length: size }, (_, i) => (dtype === 'int32' ? i * 7 - 3 : Math.sin(i) * 100));
      const { reference, actual } = await onCpuAndWasm(() => tf.transpose(tf.tensor(values, shape, dtype), perm));
      expect(actual).toEqual(reference);
    });
  }

  const additions: { a: number[]; b: number[] }[] = [
    { a: [3, 5, 4, 16], b: [16] }, // a convolution's bias
    { a: [12], b: [7, 12] }, // the vector first
    { a: [6, 10], b: [10] }, // 10 columns: the backend's own
    { a: [4, 8], b: [4, 8] }, // no broadcasting: the backend's own
    { a: [2, 1, 8], b: [1, 8] },
  ];
  for (const { a, b } of additions) {
    it(`adding [${b}] to [${a}] matches cpu exactly`, async () => {
      const rng = createRng(`add-${a}-${b}`);
      const values = (shape: number[]) => Float32Array.from({ length: shape.reduce((m, d) => m * d, 1) }, () => rng() * 2 - 1);
      const [left, right] = [values(a), values(b)];
      const { reference, actual } = await onCpuAndWasm(() => tf.add(tf.tensor(left, a), tf.tensor(right, b)));
      expect(actual).toEqual(reference);
    });
  }

  const sums: { shape: number[]; axis: number | number[]; keepDims?: boolean }[] = [
    { shape: [7, 6, 5, 16], axis: [0, 1, 2] }, // a convolution's bias gradient
    { shape: [33, 10], axis: 0, keepDims: true }, // a dense layer's, with columns not a multiple of 4
    { shape: [4, 5, 3], axis: [1, 0] },
    { shape: [4, 5, 3], axis: [0, 2] }, // not leading: the backend's own
    { shape: [4, 5, 3], axis: -1 },
    { shape: [5, 7, 9, 1], axis: [0, 1, 2] }, // a one-channel bias gradient: a single column
  ];
  for (const { shape, axis, keepDims = false } of sums) {
    it(`sum of [${shape}] over ${JSON.stringify(axis)}${keepDims ? ' keeping dims' : ''} matches cpu`, async () => {
      const rng = createRng(`sum-${shape}-${axis}`);
      const values = Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng() * 2 - 1);
      const { reference, actual } = await onCpuAndWasm(() => tf.sum(tf.tensor(values, shape), axis, keepDims));
      expect(actual.shape).toEqual(reference.shape);
      expect(largestDifference(reference.values, actual.values)).toBeLessThan(1e-5);
    });
  }

  it('the ReLU gradient is one kernel on wasm and matches tfjs on cpu exactly, NaN, infinities and signed zeros included', async () => {
    const rng = createRng('relu');
    const n = 4 * 40 + 3; // a tail after the SIMD lanes
    const special = [0, -0, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1e-30, -1e-30];
    const x = Float32Array.from({ length: n }, (_, i) => (i < special.length ? special[i]! : i === n - 1 ? Number.NaN : rng() * 2 - 1));
    const dy = Float32Array.from({ length: n }, (_, i) => (i === 20 ? Number.POSITIVE_INFINITY : rng() * 2 - 1));
    const grad = () => tf.grad((input: tf.Tensor) => tf.relu(input).mul(tf.tensor(dy, [n])).sum())(tf.tensor(x, [n]));
    const { reference, actual } = await onCpuAndWasm(grad);
    expect(actual).toEqual(reference);
    const profile = await tf.profile(() => void tf.dispose(grad()));
    const kernelsRun = profile.kernels.map((k) => k.name);
    expect(kernelsRun).toContain('AekitReluGrad');
    expect(kernelsRun).not.toContain('Step');
  });

  it('the sigmoid gradient is one kernel on wasm and gives what tfjs gives on cpu exactly, NaN and infinities included', async () => {
    const rng = createRng('sigmoid');
    const n = 4 * 40 + 3; // a tail after the SIMD lanes
    const special = [0, 1, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1e-30, 0.5];
    const y = Float32Array.from({ length: n }, (_, i) => (i < special.length ? special[i]! : rng()));
    const dy = Float32Array.from({ length: n }, (_, i) => (i === 20 ? Number.POSITIVE_INFINITY : rng() * 2 - 1));
    // The gradient registered for Sigmoid (aekit's): the kernel on wasm, tfjs' Sub and two Multiply on cpu.
    const gradient = () => (tf.getGradient('Sigmoid')!.gradFunc(tf.tensor(dy, [n]), [tf.tensor(y, [n])], {}) as { x: () => tf.Tensor }).x();
    const { reference, actual } = await onCpuAndWasm(gradient);
    expect(actual).toEqual(reference);
    // Through tf.grad: the kernel runs, and the whole gradient agrees with cpu's (whose sigmoid rounds on its own).
    const x = Float32Array.from({ length: n }, () => rng() * 16 - 8);
    const weights = Float32Array.from({ length: n }, () => rng() * 2 - 1);
    const grad = () => tf.grad((input: tf.Tensor) => tf.sigmoid(input).mul(tf.tensor(weights, [n])).sum())(tf.tensor(x, [n]));
    const viaGrad = await onCpuAndWasm(grad);
    expect(largestDifference(viaGrad.reference.values, viaGrad.actual.values)).toBeLessThan(1e-6);
    const profile = await tf.profile(() => void tf.dispose(grad()));
    const kernelsRun = profile.kernels.map((k) => k.name);
    expect(kernelsRun).toContain('AekitSigmoidGrad');
    expect(kernelsRun).not.toContain('Sub');
  });

  it("the JavaScript loops of aekit's own wasm kernels (used without SIMD) give what the heap kernels give", async () => {
    await useBackend('wasm');
    const backend = tf.backend() as WasmHeapBackend;
    // The same backend, but with no wasm instance for the heap kernels to bind to.
    const withoutHeap = new Proxy(backend, {
      get: (target, key) => {
        if (key === 'wasm') return {};
        const value = Reflect.get(target, key) as unknown;
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    });
    const rng = createRng('fallbacks');
    const n = 4 * 250 + 3; // enough values for a change in rounding order to show
    const tensor = (scale: number, offset = 0) => tf.tensor(Float32Array.from({ length: n }, () => rng() * scale + offset), [n]);
    const [p, t, dy, value, m, v, gradient] = [tensor(1), tensor(1), tensor(2, -1), tensor(2, -1), tensor(0.2, -0.1), tensor(0.01), tensor(2, -1)];
    const x = tf.tensor(Float32Array.from({ length: n }, (_, i) => [0, -0, Number.NaN][i] ?? rng() * 2 - 1), [n]);
    const run = (kernel: tf.KernelConfig, inputs: Record<string, tf.Tensor>, attrs: object, on: tf.KernelBackend) => {
      const out = kernel.kernelFunc({ inputs: inputs as unknown as tf.NamedTensorInfoMap, backend: on, attrs: attrs as tf.NamedAttrMap });
      const infos = Array.isArray(out) ? out : [out];
      return infos.map((info) => tf.engine().makeTensorFromTensorInfo(info));
    };
    const scalarDy = tf.scalar(0.75);
    const adamAttrs = { beta1: 0.9, beta2: 0.999, epsilon: 1e-7, learningRate: 0.01, c1: 1 - 0.9 ** 3, c2: 1 - 0.999 ** 3 };
    // An LSTM of 6 units over [3, 5, 4] sequences: its forward outputs feed its gradient.
    const lstmTensor = (shape: number[], scale: number) => tf.tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b) }, () => (rng() * 2 - 1) * scale), shape);
    const lstmInputs = { x: lstmTensor([3, 5, 4], 1), kernel: lstmTensor([4, 24], 0.7), recurrentKernel: lstmTensor([6, 24], 0.7), bias: lstmTensor([24], 0.5) };
    const [h, c, z] = run(lstmSequenceWasm, lstmInputs, { recurrentActivation: 'sigmoid' }, backend);
    const lstmGradInputs = { x: lstmInputs.x, kernel: lstmInputs.kernel, recurrentKernel: lstmInputs.recurrentKernel, h: h!, c: c!, z: z!, dh: lstmTensor([3, 5, 6], 1) };
    const cases: [tf.KernelConfig, Record<string, tf.Tensor>, object, number][] = [
      [lstmSequenceWasm, lstmInputs, { recurrentActivation: 'hardSigmoid' }, 1e-6],
      [lstmSequenceGradWasm, lstmGradInputs, { recurrentActivation: 'sigmoid' }, 1e-5],
      [binaryCrossEntropyWasm, { p, t }, {}, 1e-5],
      [binaryCrossEntropyGradWasm, { p, t, dy }, {}, 1e-5],
      [binaryCrossEntropySumWasm, { p, t }, { scale: 1 / n }, 1e-6],
      [binaryCrossEntropySumGradWasm, { p, t, dy: scalarDy }, { scale: 1 / n }, 1e-5],
      [reluGradWasm, { x, dy }, {}, 0],
      [sigmoidGradWasm, { y: p, dy }, {}, 0],
      [adamUpdateWasm, { value, m, v, gradient }, adamAttrs, 0],
    ];
    for (const [kernel, inputs, attrs, tolerance] of cases) {
      const heap = run(kernel, inputs, attrs, backend);
      const loop = run(kernel, inputs, attrs, withoutHeap);
      heap.forEach((h, i) => {
        const [expected, actual] = [Array.from(h.dataSync()), Array.from(loop[i]!.dataSync())];
        if (tolerance === 0) expect(actual, kernel.kernelName).toEqual(expected); // bit for bit, NaN and signed zeros included
        else expect(largestDifference(expected, actual, true), kernel.kernelName).toBeLessThanOrEqual(tolerance);
      });
      tf.dispose([...heap, ...loop]);
    }
    tf.dispose([p, t, dy, scalarDy, x, value, m, v, gradient, ...Object.values(lstmGradInputs), lstmInputs.bias]);
  });

  it('binary cross-entropy is one kernel each way on wasm and matches cpu, with both gradients, at 0, 1, NaN, several blocks and a tail', async () => {
    const rng = createRng('bce');
    const n = 2 * 1024 + 4 * 25 + 3; // three blocks of the summed kernel, the last with a tail after the SIMD lanes
    const outputs = Float32Array.from({ length: n }, (_, i) => (i < 4 ? [0, 1, 1e-9, 0.99999999][i]! : rng()));
    const targets = Float32Array.from({ length: n }, (_, i) => (i % 3 === 0 ? rng() : i % 2));
    const state = { epoch: 0, training: true };
    const loss = (reduction: 'mean' | 'sum', mask?: tf.Tensor) => (out: tf.Tensor, target: tf.Tensor) =>
      binaryCrossEntropy({ reduction }).compute({ input: out, output: out, code: out, extras: mask ? { mask } : {} }, target, state);
    const run = async (backend: 'cpu' | 'wasm', p: Float32Array) => {
      await useBackend(backend);
      const before = tf.memory().numTensors;
      const results = tf.tidy(() => {
        // [examples, pixels], so that the sum's 1 / batch differs from the mean's 1 / size.
        const [o, t] = [tf.tensor(p, [n, 1]).reshape([n / 3, 3]), tf.tensor(targets, [n / 3, 3])];
        const mean = tf.valueAndGrads(loss('mean'))([o, t]);
        const sum = tf.valueAndGrads(loss('sum'))([o, t]);
        // A mask of ones: the elementwise kernel and a reduction, the same loss.
        const masked = loss('mean', tf.onesLike(o))(o, t);
        return [mean.value, sum.value, masked, ...mean.grads, ...sum.grads];
      });
      const [value, sum, masked, dp, dt, sumDp, sumDt] = await Promise.all(results.map((r) => r.data()));
      tf.dispose(results);
      expect(tf.memory().numTensors).toBe(before);
      return { value: value![0]!, sum: sum![0]!, masked: masked![0]!, dp: dp!, dt: dt!, sumDp: sumDp!, sumDt: sumDt! };
    };
    const reference = await run('cpu', outputs);
    const actual = await run('wasm', outputs);
    // Training asks for the outputs' gradient only: one kernel each way, no reduction, no logarithm composed from ops.
    const kernelsOf = async (mask?: boolean) => {
      const profile = await tf.profile(() => {
        const [o, t] = [tf.tensor(outputs, [n, 1]), tf.tensor(targets, [n, 1])];
        const m = mask ? tf.onesLike(o) : undefined;
        const grad = tf.grad((out: tf.Tensor) => loss('mean', m)(out, t))(o);
        tf.dispose([o, t, grad, ...(m ? [m] : [])]);
      });
      return profile.kernels.map((k) => k.name);
    };
    // (tf.grad's own Identity kernels share data and are not counted.)
    expect((await kernelsOf()).filter((k) => k !== 'Identity')).toEqual(['AekitBinaryCrossEntropySum', 'AekitBinaryCrossEntropySumGrad']);
    const maskedKernels = await kernelsOf(true);
    expect(maskedKernels).toContain('AekitBinaryCrossEntropy');
    expect(maskedKernels).toContain('AekitBinaryCrossEntropyGrad');
    expect(maskedKernels).not.toContain('Log');
    const relative = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);
    expect(relative(actual.value, reference.value)).toBeLessThan(1e-6);
    expect(relative(actual.sum, reference.sum)).toBeLessThan(1e-6);
    expect(relative(actual.masked, actual.value)).toBeLessThan(1e-6);
    expect(relative(reference.sum, reference.value * 3)).toBeLessThan(1e-6);
    expect(largestDifference(reference.dp, actual.dp, true)).toBeLessThan(1e-5);
    expect(largestDifference(reference.dt, actual.dt, true)).toBeLessThan(1e-5);
    expect(largestDifference(reference.sumDp, actual.sumDp, true)).toBeLessThan(1e-5);
    expect(largestDifference(reference.sumDt, actual.sumDt, true)).toBeLessThan(1e-5);
    // A NaN output gives a NaN loss, so that the trainer skips the step.
    const poisoned = Float32Array.from(outputs, (v, i) => (i === n - 1 ? Number.NaN : v));
    expect((await run('wasm', poisoned)).value).toBeNaN();
    expect((await run('wasm', Float32Array.from(outputs, (v, i) => (i === 7 ? Number.NaN : v)))).value).toBeNaN();
  });

  // The LSTM sequence kernel against tfjs-layers' own LSTM on the cpu backend: the same weights, outputs and
  // gradients for the inputs and every weight, with both gate activations; 7 units (a SIMD tail), 9 sequences
  // (two blocks of the weights' gradient sums), pre-activations large enough for hardSigmoid's flat parts.
  for (const recurrentActivation of ['hardSigmoid', 'sigmoid'] as const) {
    it(`the LSTM sequence is one kernel on wasm and matches tfjs-layers' LSTM on cpu (${recurrentActivation} gates)`, async () => {
      const [batch, steps, features, units] = [9, 6, 5, 7];
      const rng = createRng(`lstm-${recurrentActivation}`);
      const values = (n: number, scale: number) => Float32Array.from({ length: n }, () => (rng() * 2 - 1) * scale);
      const [x, w, r, b, up] = [values(batch * steps * features, 1), values(features * 4 * units, 0.9), values(units * 4 * units, 0.9), values(4 * units, 1), values(batch * steps * units, 1)];
      const shapes = { x: [batch, steps, features], w: [features, 4 * units], r: [units, 4 * units], b: [4 * units] };
      const weight = (outputs: tf.Tensor) => tf.sum(tf.mul(outputs, tf.tensor(up, [batch, steps, units])));
      const read = async (ts: tf.Tensor[]) => {
        const arrays = await Promise.all(ts.map(async (t) => Array.from(await t.data())));
        tf.dispose(ts);
        return arrays;
      };

      await useBackend('cpu');
      const layer = tf.layers.lstm({ units, returnSequences: true, recurrentActivation });
      const xCpu = tf.tensor(x, shapes.x);
      tf.dispose(layer.apply(xCpu) as tf.Tensor);
      layer.setWeights([tf.tensor(w, shapes.w), tf.tensor(r, shapes.r), tf.tensor(b, shapes.b)]);
      const reference = await read(tf.tidy(() => {
        const output = layer.apply(xCpu) as tf.Tensor;
        const dx = tf.grad((input: tf.Tensor) => weight(layer.apply(input) as tf.Tensor))(xCpu);
        const variables = layer.trainableWeights.map((v) => v.read() as tf.Variable);
        const { grads } = tf.variableGrads(() => weight(layer.apply(xCpu) as tf.Tensor) as tf.Scalar, variables);
        return [output, dx, ...variables.map((v) => grads[v.name]!)];
      }));
      layer.dispose();
      xCpu.dispose();

      await useBackend('wasm');
      const before = tf.memory().numTensors;
      const inputs = [tf.tensor(x, shapes.x), tf.tensor(w, shapes.w), tf.tensor(r, shapes.r), tf.tensor(b, shapes.b)];
      const run = (xt: tf.Tensor, wt: tf.Tensor, rt: tf.Tensor, bt: tf.Tensor) => lstmSequence(xt, wt, rt, bt, recurrentActivation as LstmSequenceAttrs['recurrentActivation']);
      const actual = await read(tf.tidy(() => [run(...(inputs as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor])), ...tf.grads((...args: tf.Tensor[]) => weight(run(...(args as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor]))))(inputs)]));
      const profile = await tf.profile(() => void tf.dispose(tf.grads((...args: tf.Tensor[]) => weight(run(...(args as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor]))))(inputs)));
      tf.dispose(inputs);
      expect(tf.memory().numTensors).toBe(before);
      expect(profile.kernels.filter((k) => k.name.startsWith(LSTM_SEQUENCE)).map((k) => k.name)).toEqual([LSTM_SEQUENCE, `${LSTM_SEQUENCE}Grad`]);
      expect(profile.kernels.some((k) => k.name === 'Tanh' || k.name === 'SplitV')).toBe(false);
      ['h', 'dx', 'dKernel', 'dRecurrentKernel', 'dBias'].forEach((name, i) => {
        expect(actual[i]!.length, name).toBe(reference[i]!.length);
        expect(largestDifference(reference[i]!, actual[i]!, true), name).toBeLessThan(1e-5);
      });
      // Gradients that are not all zero, from steps where the gates saturate and where they do not.
      expect(Math.max(...reference[2]!.map(Math.abs))).toBeGreaterThan(0.1);
    });
  }

  for (const [transposeA, transposeB] of [[true, false], [false, true], [true, true], [false, false]]) {
    it(`matMul with transposeA=${transposeA}, transposeB=${transposeB} matches cpu (2-D and batched)`, async () => {
      const rng = createRng(`matmul-${transposeA}-${transposeB}`);
      const values = (n: number) => Float32Array.from({ length: n }, () => rng() * 2 - 1);
      const [a2, b2, a3, b3] = [values(7 * 5), values(5 * 6), values(3 * 7 * 5), values(3 * 5 * 6)];
      const shape = (rows: number, cols: number, t: boolean) => (t ? [cols, rows] : [rows, cols]);
      const run = async (backend: 'cpu' | 'wasm') => {
        await useBackend(backend);
        const flat = tf.matMul(tf.tensor(a2, shape(7, 5, transposeA)), tf.tensor(b2, shape(5, 6, transposeB)), transposeA, transposeB);
        const batched = tf.matMul(
          tf.tensor(a3, [3, ...shape(7, 5, transposeA)]),
          tf.tensor(b3, [3, ...shape(5, 6, transposeB)]),
          transposeA,
          transposeB,
        );
        return [...(await flat.data()), ...(await batched.data())];
      };
      const reference = await run('cpu');
      const before = tf.memory().numTensors;
      const actual = await run('wasm');
      expect(tf.memory().numTensors - before).toBe(6);
      expect(actual.length).toBe(7 * 6 + 3 * 7 * 6);
      actual.forEach((v, i) => expect(v).toBeCloseTo(reference[i], 5));
    });
  }
});
