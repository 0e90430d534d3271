import { afterAll, describe, expect, it } from 'vitest';
import { tf, useBackend } from '@aekit/core';
import { registerKernels } from '../index.js';
import { seeded } from '../../../test/support/heap.js';

afterAll(() => useBackend('cpu'));

// Shapes and repetitions: the lstm family's RepeatVector, every axis repeated, an axis of one, rank 1 and rank 5.
const CASES: [number[], number[]][] = [
  [[6, 1, 5], [1, 7, 1]],
  [[2, 3, 4], [3, 2, 2]],
  [[4, 1], [1, 1]],
  [[5], [3]],
  [[2, 1, 3, 1, 2], [2, 3, 1, 2, 2]],
];

describe('Tile on wasm (row copies) and its gradient (one sum)', () => {
  for (const [shape, reps] of CASES) {
    it(`tiles ${JSON.stringify(shape)} by ${JSON.stringify(reps)} as tfjs' cpu kernel does, float32 and int32, and sums dy over the repetitions`, async () => {
      const n = shape.reduce((a, b) => a * b, 1);
      const outShape = shape.map((d, i) => d * reps[i]!);
      const dy = seeded('tile-dy', outShape.reduce((a, b) => a * b, 1));
      const run = async (backend: 'cpu' | 'wasm') => {
        registerKernels();
        await useBackend(backend);
        const before = tf.memory().numTensors;
        const x = tf.tensor(seeded('tile-x', n), shape);
        const ints = tf.tensor(Int32Array.from({ length: n }, (_, i) => i * 7 - 40), shape, 'int32');
        const gradient = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(tf.tile(v, reps), tf.tensor(dy, outShape))))(x);
        const results = [tf.tile(x, reps), tf.tile(ints, reps), gradient];
        const values = results.map((t) => ({ shape: t.shape, values: Array.from(t.dataSync()) }));
        tf.dispose([x, ints, ...results]);
        expect(tf.memory().numTensors).toBe(before);
        return values;
      };
      const [cpu, wasm] = [await run('cpu'), await run('wasm')];
      expect(wasm[0]).toEqual(cpu[0]);
      expect(wasm[1]).toEqual(cpu[1]);
      expect(wasm[0]!.shape).toEqual(outShape);
      // The gradient from its definition: each x element's dy summed over its copies.
      const expected = new Float64Array(n);
      const strides = (s: number[]) => s.map((_, i) => s.slice(i + 1).reduce((a, b) => a * b, 1));
      const [outStrides, inStrides] = [strides(outShape), strides(shape)];
      dy.forEach((value, flat) => {
        const source = outShape.reduce((sum, _, axis) => sum + (Math.floor(flat / outStrides[axis]!) % outShape[axis]! % shape[axis]!) * inStrides[axis]!, 0);
        expected[source] += value;
      });
      for (const result of [cpu[2]!, wasm[2]!]) {
        expect(result.shape).toEqual(shape);
        result.values.forEach((v, i) => expect(Math.abs(v - expected[i]!)).toBeLessThan(1e-5));
      }
    });
  }
});
