import { describe, expect, it } from 'vitest';
import { tf } from '@aekit/core';
import { expectRefused, seeded, tensor, values, heapKernelsForTests } from '../../../test/support/heap.js';
import { reluGradientHeap } from './heap.js';

const kernels = heapKernelsForTests();

describe('reluGradient', () => {
  it("is dy where x > 0, 0 elsewhere and NaN where x is NaN, bit for bit tfjs' rule", () => {
    const x = seeded('relu-x', 23);
    x.set([0, -0, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY], 0);
    const dy = seeded('relu-dy', 23);
    const [xt, dyt, dx] = [tensor(x), tensor(dy), tensor(23)];
    kernels.run(reluGradientHeap, [{ tensor: xt }, { tensor: dyt }, { tensor: dx }], [23]);
    expect(values(dx)).toEqual(Float32Array.from(x, (v, i) => (Number.isNaN(v) ? Number.NaN : dy[i]! * (v > 0 ? 1 : 0))));
    tf.dispose([xt, dyt, dx]);
  });

  it('refuses a count past any of its tensors', () => {
    const [xt, dyt, dx] = [tensor(8), tensor(7), tensor(8)];
    expectRefused(() => kernels.run(reluGradientHeap, [{ tensor: xt }, { tensor: dyt }, { tensor: dx }], [8]), dx, /dy spans elements \[0, 8\) of a tensor of 7/);
    expectRefused(() => kernels.run(reluGradientHeap, [{ tensor: xt }, { tensor: dyt }, { tensor: dx, from: 2 }], [7]), dx, /dx/);
    tf.dispose([xt, dyt, dx]);
  });
});
