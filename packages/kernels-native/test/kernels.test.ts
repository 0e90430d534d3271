import { afterAll, describe, expect, it } from 'vitest';
import { binaryCrossEntropy, FusedAdamOptimizer, tf, useBackend } from '@aekit/core';
import { setNativeThreads } from '../src/index.js';
import { nativeBinding } from '../src/native-state.js';
import { expectAgree, expectClose, expectUlps, onEveryBackend, seeded } from './support.js';

afterAll(() => useBackend('cpu'));

const t = (seed: string, shape: number[], low = -1, high = 1) => tf.tensor(seeded(seed, tf.util.sizeFromShape(shape), low, high), shape);

describe('native matrix products (BatchMatMul, _FusedMatMul)', () => {
  // Shapes of the bench families and odd ones: every transposition, batches that broadcast, empty inner sizes.
  const cases: [string, number[], number[], boolean, boolean][] = [
    ['dense encoder', [64, 784], [784, 32], false, false],
    ['dense weight gradient', [64, 784], [64, 32], true, false],
    ['dense input gradient', [64, 784], [32, 784], false, true],
    ['both transposed', [5, 7], [3, 5], true, true],
    ['batched', [3, 9, 6], [3, 6, 5], false, false],
    ['broadcast left', [1, 4, 6], [3, 6, 5], false, false],
    ['broadcast right, transposed', [3, 6, 4], [5, 6], true, true],
    ['odd sizes', [33, 17], [17, 65], false, false],
    // The packed kernel's edges: partial 6-row and 16-column tiles, more than one 256-deep block, columns split over threads.
    ['both transposed, wide and deep', [300, 13], [40, 300], true, true],
    ['wider than tall, split by columns', [20, 300], [300, 150], false, false],
  ];
  for (const [name, aShape, bShape, ta, tb] of cases) {
    it(`${name}: ${JSON.stringify(aShape)} x ${JSON.stringify(bShape)}${ta ? ' A^T' : ''}${tb ? ' B^T' : ''}`, async () => {
      const results = await onEveryBackend(() => tf.matMul(t(`${name}-a`, aShape), t(`${name}-b`, bShape), ta, tb));
      // Sums of up to 784 products, added in another order: a few float32 ulps of their magnitude.
      expectAgree(results, 5e-5);
    });
  }

  for (const activation of ['linear', 'relu', 'relu6', 'elu', 'sigmoid', 'leakyrelu'] as const) {
    it(`fuses the bias and ${activation}`, async () => {
      const results = await onEveryBackend(() =>
        tf.fused.matMul({ a: t('fa', [50, 40], -2, 2), b: t('fb', [40, 24]), bias: t('fbias', [24]), activation, leakyreluAlpha: 0.3 }),
      );
      expectAgree(results, 1e-5);
    });
  }

  it('gives the gradients of a fused product', async () => {
    const results = await onEveryBackend(() => {
      const [a, b, bias] = [t('ga', [32, 20]), t('gb', [20, 12]), t('gbias', [12])];
      const loss = (x: tf.Tensor, y: tf.Tensor, z: tf.Tensor) => tf.fused.matMul({ a: x as tf.Tensor2D, b: y as tf.Tensor2D, bias: z, activation: 'relu' }).square().sum();
      return tf.grads(loss)([a, b, bias]);
    });
    expectAgree(results, 1e-4);
  });
});

describe('native convolutions (Conv2D, FusedConv2D and both gradients)', () => {
  // [name, input [b, h, w, c], filter [fh, fw, c, out], strides, padding]: the conv family's layers (the direct loops:
  // outputs a multiple of 8 as vectors, else inputs a multiple of 8 as dot products), odd sizes and batches of 1 and 7
  // (partial blocks of pixels and of images), strides 2 and uneven (the input gradient and uneven strides take im2col),
  // and channels that fit no direct loop (im2col).
  const cases: [string, number[], number[], number | [number, number], 'same' | 'valid'][] = [
    ['first layer, 1 -> 16', [7, 20, 19, 1], [3, 3, 1, 16], 1, 'same'],
    ['middle layer, 16 -> 8, batch 1', [1, 14, 14, 16], [3, 3, 16, 8], 1, 'same'],
    ['decoder, 8 -> 16 valid', [7, 16, 16, 8], [3, 3, 8, 16], 1, 'valid'],
    ['last layer, 16 -> 1', [7, 19, 20, 16], [3, 3, 16, 1], 1, 'same'],
    ['3 -> 8, odd width', [7, 11, 10, 3], [3, 3, 3, 8], 1, 'same'],
    ['8 -> 24, 5x5 filter', [2, 8, 9, 8], [5, 5, 8, 24], 1, 'same'],
    ['3 -> 16, stride 2', [7, 9, 9, 3], [3, 3, 3, 16], 2, 'same'],
    ['16 -> 3, stride 2 valid, batch 1', [1, 10, 9, 16], [3, 3, 16, 3], 2, 'valid'],
    ['16 -> 16, stride 2 valid', [7, 12, 11, 16], [3, 3, 16, 16], 2, 'valid'],
    ['1 -> 1', [7, 9, 8, 1], [3, 3, 1, 1], 1, 'same'],
    ['3 -> 5 valid (im2col)', [2, 9, 9, 3], [3, 3, 3, 5], 1, 'valid'],
    ['strides 1 and 2 (im2col)', [2, 10, 9, 8], [3, 3, 8, 8], [1, 2], 'same'],
    ['pointwise', [2, 5, 5, 6], [1, 1, 6, 7], 1, 'valid'],
  ];
  for (const [name, xShape, wShape, stride, pad] of cases) {
    it(`${name}: forward, input and filter gradients`, async () => {
      const results = await onEveryBackend(() => {
        const [x, w] = [t(`${name}-x`, xShape), t(`${name}-w`, wShape)];
        const dy = t(`${name}-dy`, tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, stride, pad).shape);
        const f = (a: tf.Tensor, b: tf.Tensor) => tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, stride, pad).mul(dy).sum();
        return [tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, stride, pad), ...tf.grads(f)([x, w])];
      });
      // Filter gradients sum up to 7 * 20 * 19 products: a few float32 ulps of that sum.
      expectAgree(results, 2e-4);
    });
  }

  // Both direct forward loops, with a bias and an activation.
  const fused: [string, number[], number[], 'relu' | 'sigmoid'][] = [
    ['outputs as vectors', [2, 6, 7, 4], [3, 3, 4, 8], 'relu'],
    ['inputs as vectors', [2, 6, 7, 16], [3, 3, 16, 1], 'sigmoid'],
  ];
  for (const [name, xShape, wShape, activation] of fused) {
    it(`fuses the bias and ${activation} of a FusedConv2D (${name})`, async () => {
      const results = await onEveryBackend(() =>
        tf.fused.conv2d({
          x: t(`${name}-fx`, xShape) as tf.Tensor4D,
          filter: t(`${name}-fw`, wShape) as tf.Tensor4D,
          strides: 1,
          pad: 'same',
          bias: t(`${name}-fb`, [wShape[3]!]),
          activation,
        }),
      );
      expectAgree(results, 1e-5);
    });
  }
});

describe('native pooling and up-sampling gradients', () => {
  it("max pooling's gradient, ties to the first maximum", async () => {
    const results = await onEveryBackend(() => {
      // Rounded values: ties, as in MNIST's blank background.
      const x = tf.round(t('px', [2, 8, 8, 8], 0, 3));
      return tf.grad((a: tf.Tensor) => tf.maxPool(a as tf.Tensor4D, 2, 2, 'same').mul(t('pdy', [2, 4, 4, 8])).sum())(x);
    });
    expectAgree(results, 0);
  });

  it("nearest up-sampling and its gradient", async () => {
    const results = await onEveryBackend(() => {
      const x = t('ux', [2, 4, 5, 8]);
      const up = (a: tf.Tensor) => tf.image.resizeNearestNeighbor(a as tf.Tensor4D, [8, 10]);
      return [up(x), tf.grad((a: tf.Tensor) => up(a).mul(t('udy', [2, 8, 10, 8])).sum())(x)];
    });
    expectAgree(results, 1e-6);
  });
});

describe('the native loss and optimizer', () => {
  it('binary cross-entropy and its gradient: within 2 ulp of the wasm kernels (the gradient to the bit), and the formula', async () => {
    const n = 4001;
    const p = seeded('bce-p', n, 0, 1);
    p.set([0, 1, 1e-9, 1 - 1e-9], 0);
    const target = seeded('bce-t', n, 0, 1);
    const results = await onEveryBackend(() => {
      const [pt, tt, dy] = [tf.tensor(p), tf.tensor(target), t('bce-dy', [n])];
      // aekit registers these kernels on wasm only; the formula below is the reference.
      if (tf.getBackend() === 'cpu') return [tf.zeros([n]), tf.zeros([n])];
      const run = (name: string, inputs: tf.NamedTensorMap) => tf.engine().runKernel(name, inputs) as tf.Tensor;
      return [run('AekitBinaryCrossEntropy', { p: pt, t: tt }), run('AekitBinaryCrossEntropyGrad', { p: pt, t: tt, dy })];
    });
    // The native logarithm is the wasm one's polynomial in fused multiply-adds: the last bit may differ.
    expectUlps(results.native[0]!, results.wasm[0]!, 2);
    expect(results.native[1]).toEqual(results.wasm[1]);
    // The clip and 1 - p as float32 computes them: near 1, 1 - p is most of the loss.
    const f = Math.fround;
    const clip = (v: number) => Math.min(Math.max(f(v), f(1e-7)), f(1 - 1e-7));
    expectClose(
      results.native[0]!,
      Array.from(p, (v, i) => -(target[i]! * Math.log(clip(v)) + (1 - target[i]!) * Math.log(f(1 - clip(v))))),
      2e-5,
    );
  });

  it("the native logarithm: within an ulp of Math.log's, rounded to float32, from 1e-7 to 1, NaN kept", async () => {
    // With t = 0 the kernel gives -log(1 - p) exactly (0 times the other term adds nothing): log over 1 - p.
    const n = 20000;
    const rng = seeded('log-sweep', n, 0, 1);
    const p = Float32Array.from(rng, (u, i) => (i % 2 === 0 ? u : 1 - 2 ** -(1 + Math.floor(u * 23)) * (1 + u)));
    p.set([0, 1, 1e-9, 1 - 1e-9, 0.5, Number.NaN], 0);
    await useBackend('native');
    const out = tf.tidy(() => (tf.engine().runKernel('AekitBinaryCrossEntropy', { p: tf.tensor(p), t: tf.zeros([n]) }) as tf.Tensor).dataSync());
    const f = Math.fround;
    const clip = (v: number) => Math.min(Math.max(f(v), f(1e-7)), f(1 - 1e-7));
    expectUlps(out, Array.from(p, (v) => f(-Math.log(f(1 - clip(v))))), 1);
    expect(out[5]).toBeNaN();
  });

  // A batch of 256 MNIST images: 196 blocks of the summed kernel, a last one partial, enough for two threads.
  const summedSize = 256 * 784 + 11;
  const summedInputs = (size = summedSize) => {
    const p = seeded('bce-sum-p', size, 0, 1);
    p.set([0, 1, 1e-9, 1 - 1e-9, Number.NaN], 0);
    return { p, target: seeded('bce-sum-t', size, 0, 1) };
  };

  it('the summed binary cross-entropy and its gradient as the loss runs them: the composed loss on cpu, wasm within an ulp or two', async () => {
    const size = 2061 * 5; // ten blocks and a partial one
    const { p, target } = summedInputs(size);
    p[4] = 0.5; // no NaN here
    const state = { epoch: 0, training: true };
    const results = await onEveryBackend(() => {
      const [out, t] = [tf.tensor(p, [size / 5, 5]), tf.tensor(target, [size / 5, 5])];
      const loss = (reduction: 'mean' | 'sum') => (o: tf.Tensor) => binaryCrossEntropy({ reduction }).compute({ input: o, output: o, code: o, extras: {} }, t, state);
      const mean = tf.valueAndGrad(loss('mean'))(out);
      const sum = tf.valueAndGrad(loss('sum'))(out);
      return [mean.value, sum.value, mean.grad, sum.grad];
    });
    // cpu composes the loss from tfjs ops (float32 sums in its own order), native and wasm sum in double over blocks.
    for (const i of [0, 1]) {
      expect(Math.abs(results.native[i]![0]! - results.cpu[i]![0]!) / results.cpu[i]![0]!).toBeLessThan(1e-5);
      expectUlps(results.native[i]!, results.wasm[i]!, 1);
    }
    for (const i of [2, 3]) {
      expectClose(results.native[i]!, results.cpu[i]!, 1e-5);
      expect(results.native[i]).toEqual(results.wasm[i]);
    }
  });

  it('the summed binary cross-entropy is the same float on 1 and 2 threads, and NaN for a NaN output', async () => {
    const { p, target } = summedInputs();
    await useBackend('native');
    const run = (threads: number, values: Float32Array) => {
      setNativeThreads(threads);
      return tf.tidy(() => {
        const [pt, tt] = [tf.tensor(values), tf.tensor(target)];
        const loss = tf.engine().runKernel('AekitBinaryCrossEntropySum', { p: pt, t: tt }, { scale: 1 / summedSize }) as tf.Tensor;
        return loss.dataSync()[0]!;
      });
    };
    const threads = nativeBinding().binding!.info().threads;
    try {
      const clean = Float32Array.from(p, (v, i) => (i === 4 ? 0.5 : v));
      const [one, two] = [run(1, clean), run(2, clean)];
      expect(Number.isFinite(one)).toBe(true);
      expect(two).toBe(one);
      expect(run(2, p)).toBeNaN();
    } finally {
      setNativeThreads(threads);
    }
  });

  it("the sigmoid's gradient: tfjs' own ops on cpu and the wasm kernel, bit for bit", async () => {
    const n = 4001;
    const y = seeded('sigmoid-y', n, 0, 1);
    y.set([0, 1, 0.5, Number.NaN], 0);
    // The gradient registered for Sigmoid (aekit's): its kernel where the backend has it, tfjs' three ops on cpu.
    const gradient = (dy: tf.Tensor, output: tf.Tensor) => tf.getGradient('Sigmoid')!.gradFunc(dy, [output], {}) as { x: () => tf.Tensor };
    const results = await onEveryBackend(() => gradient(t('sigmoid-dy', [n]), tf.tensor(y)).x());
    expect(results.native[0]).toEqual(results.cpu[0]);
    expect(results.native[0]).toEqual(results.wasm[0]);
  });

  it('the sigmoid: within a few float32 ulps of tfjs\' cpu and wasm kernels, saturating at both ends, a NaN kept', async () => {
    // 256 x 33 elements, over the size from which the native kernel runs; below it the wasm kernel does.
    const n = 256 * 33;
    const x = seeded('sigmoid-x', n, -12, 12);
    x.set([0, -100, 100, -87, 88, 1e-8, Number.NaN], 0);
    const results = await onEveryBackend(() => tf.sigmoid(tf.tensor(x, [256, 33])));
    expect(Number.isNaN(results.native[0]![6]!)).toBe(true);
    for (const values of Object.values(results)) values[0]![6] = 0;
    // Absolute, as tfjs compares float32 kernels: outputs lie in [0, 1] and e^-88 is far below one ulp of them.
    results.native.forEach((values, i) => {
      for (const backend of ['cpu', 'wasm'] as const) {
        const other = results[backend][i]!;
        values.forEach((v, j) => {
          if (!(Math.abs(v - other[j]!) <= 2e-7)) throw new Error(`element ${j} (x = ${x[j]}) against ${backend}: ${other[j]} but native ${v}`);
        });
      }
    });
    // The native kernel ran: XNNPACK's approximation (wasm) and its own differ in the last bit here and there.
    expect(results.native[0]!.filter((v, j) => v !== results.wasm[0]![j]).length).toBeGreaterThan(0);
    expect(results.native[0]![1]).toBeLessThan(1e-37);
    expect(results.native[0]![2]).toBe(1);
  });

  it("Adam's step: tfjs' own on cpu and the wasm kernel's, bit for bit", async () => {
    const results = await onEveryBackend(() => {
      const weights = tf.variable(t('adam-w', [37, 5]));
      const optimizer = new FusedAdamOptimizer(0.01);
      for (let step = 0; step < 3; step++) optimizer.applyGradients([{ name: weights.name, tensor: t(`adam-g${step}`, [37, 5]) }]);
      const result = weights.clone();
      optimizer.dispose();
      weights.dispose();
      return result;
    });
    expect(results.native[0]).toEqual(results.cpu[0]);
    expect(results.native[0]).toEqual(results.wasm[0]);
  });
});
