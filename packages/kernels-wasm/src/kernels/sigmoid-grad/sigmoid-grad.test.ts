import { describe, expect, it } from 'vitest';
import { tf } from '@aekit/core';
import { expectRefused, seeded, tensor, values, heapKernelsForTests } from '../../../test/support/heap.js';
import { sigmoidGradientHeap } from './heap.js';

const kernels = heapKernelsForTests();

describe('sigmoidGradient', () => {
  it("is dy * (y * (1 - y)) in float32, bit for bit tfjs' three ops, NaN and infinities included", () => {
    const y = seeded('sigmoid-y', 23, 0, 1);
    y.set([0, 1, Number.NaN, Number.POSITIVE_INFINITY, 0.5], 0);
    const dy = seeded('sigmoid-dy', 23);
    dy[5] = Number.NEGATIVE_INFINITY;
    const [yt, dyt, dx] = [tensor(y), tensor(dy), tensor(23)];
    kernels.run(sigmoidGradientHeap, [{ tensor: yt }, { tensor: dyt }, { tensor: dx }], [23]);
    const f = Math.fround;
    expect(values(dx)).toEqual(Float32Array.from(y, (v, i) => dy[i]! * f(v * f(1 - v))));
    tf.dispose([yt, dyt, dx]);
  });

  it('refuses a count past any of its tensors', () => {
    const [yt, dyt, dx] = [tensor(8), tensor(7), tensor(8)];
    expectRefused(() => kernels.run(sigmoidGradientHeap, [{ tensor: yt }, { tensor: dyt }, { tensor: dx }], [8]), dx, /dy spans elements \[0, 8\) of a tensor of 7/);
    expectRefused(() => kernels.run(sigmoidGradientHeap, [{ tensor: yt }, { tensor: dyt }, { tensor: dx, from: 2 }], [7]), dx, /dx/);
    tf.dispose([yt, dyt, dx]);
  });
});
