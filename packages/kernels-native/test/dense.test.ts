import { afterAll, describe, expect, it } from 'vitest';
import { tf, useBackend } from '@aekit/core';
import { dense, denseAvailable, type DenseActivation } from '@aekit/core/kernels';
import { heapKernels, type WasmHeapBackend } from '@aekit/kernels-wasm/heap';
import { denseGradient } from '../src/contracts.js';
import { nativeBinding } from '../src/native-state.js';
import { expectAgree, onEveryBackend, seeded } from './support.js';

afterAll(() => useBackend('cpu'));

const t = (seed: string, shape: number[], low = -1, high = 1) => tf.tensor(seeded(seed, tf.util.sizeFromShape(shape), low, high), shape);

/** tfjs' own activations, for the reference on cpu (which has no AekitDense). */
const TFJS_ACTIVATIONS: Record<DenseActivation, (z: tf.Tensor) => tf.Tensor> = { linear: (z) => z, relu: tf.relu, sigmoid: tf.sigmoid, tanh: tf.tanh, elu: tf.elu };

/** The layer as one kernel where the backend has it (wasm, native), else as tfjs' ops (cpu). */
function layer(x: tf.Tensor, kernel: tf.Tensor, bias: tf.Tensor | null, activation: DenseActivation): tf.Tensor {
  if (denseAvailable()) return dense(x, kernel, bias, activation);
  const z = tf.matMul(x, kernel);
  return TFJS_ACTIVATIONS[activation](bias ? tf.add(z, bias) : z);
}

describe('native AekitDense and its one-call gradient', () => {
  const cases: [string, number, number, number, DenseActivation[], boolean[]][] = [
    ['small', 9, 13, 6, ['linear', 'relu', 'sigmoid', 'tanh', 'elu'], [true, false]],
    // The dense family's layers, split over the pool's threads.
    ['dense decoder', 256, 32, 784, ['sigmoid'], [true]],
    ['dense encoder', 256, 784, 32, ['relu'], [true]],
  ];
  for (const [name, n, features, units, activations, biases] of cases) {
    for (const activation of activations) {
      for (const withBias of biases) {
        it(`${name} [${n}, ${features}] -> ${units}, ${activation}, ${withBias ? 'with' : 'no'} bias: output and every gradient`, async () => {
          const results = await onEveryBackend(() => {
            const [x, kernel, bias, r] = [t(`${name}x`, [n, features], -2, 2), t(`${name}k`, [features, units]), t(`${name}b`, [units]), t(`${name}r`, [n, units])];
            const loss = (...args: tf.Tensor[]) => tf.sum(tf.mul(layer(args[0]!, args[1]!, withBias ? args[2]! : null, activation), r));
            const grads = tf.grads(loss)(withBias ? [x, kernel, bias] : [x, kernel]);
            return [layer(x, kernel, withBias ? bias : null, activation), ...grads];
          });
          expect(results.native).toHaveLength(withBias ? 4 : 3);
          // Sums of up to 256 products, added in another order: a few float32 ulps of their magnitude.
          expectAgree(results, 5e-5);
        });
      }
    }
  }
});

describe('denseGradient bounds refusals', () => {
  const heap = () => heapKernels(tf.backend() as WasmHeapBackend)!;

  it('refuses outputs shorter than the layer and unknown activations, leaving the outputs untouched', async () => {
    await useBackend('native');
    const [x, y, dy] = [tf.ones([4, 3]), tf.ones([4, 5]), tf.ones([4, 5])];
    const [dz, dKernel, dBias] = [tf.fill([20], 7), tf.fill([14], 7), tf.fill([5], 7)];
    const regions = [x, y, dy, dz, dKernel, dBias].map((tensor) => ({ tensor }));
    expect(() => heap().run(denseGradient, regions, [4, 3, 5, 1])).toThrow(/denseGradient: dKernel spans elements \[0, 15\) of a tensor of 14/);
    expect(() => heap().run(denseGradient, regions, [4, 3, 4, 2])).toThrow(/unknown activation 2/);
    expect(Array.from(dKernel.dataSync())).toEqual(Array(14).fill(7));
    expect(Array.from(dz.dataSync())).toEqual(Array(20).fill(7));
    tf.dispose([x, y, dy, dz, dKernel, dBias]);
  });

  it('the addon itself refuses pointers outside the heap, wrong arguments and unknown activations', () => {
    const of = nativeBinding().binding!.denseGradient as (...args: unknown[]) => void;
    const memory = new WebAssembly.Memory({ initial: 1 });
    expect(() => of(memory.buffer, 0, 0, 0, 70000, 0, -1, 1, 1, 1, 0)).toThrow(/a pointer lies outside the heap/);
    expect(() => of(memory.buffer, 0, 0, 0, 0, 0, -1, 1, 1, 1)).toThrow(/wrong number of arguments/);
    expect(() => of(memory.buffer, 0, 0, 0, 0, 0, -1, 1, 1, 1, 7)).toThrow(/unknown activation/);
  });
});
