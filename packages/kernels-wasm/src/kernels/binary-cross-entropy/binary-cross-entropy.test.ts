import { describe, expect, it } from 'vitest';
import { tf } from '@aekit/core';
import { expectClose, expectRefused, seeded, tensor, values, heapKernelsForTests } from '../../../test/support/heap.js';
import { binaryCrossEntropyGradientHeap, binaryCrossEntropyHeap, binaryCrossEntropySumGradientHeap, binaryCrossEntropySumHeap } from './heap.js';
import { PROBABILITY_EPSILON } from '@aekit/core/kernels';

const kernels = heapKernelsForTests();

// The clip and 1 - p as float32 computes them: near 1, 1 - p is most of the loss.
const f = Math.fround;
const clip = (p: number) => Math.min(Math.max(f(p), f(PROBABILITY_EPSILON)), f(1 - PROBABILITY_EPSILON));

describe('binary cross-entropy heap functions', () => {
  // Outputs spread over (0, 1) with the edges, a tail that is not a multiple of 4.
  const n = 4001;
  const p = seeded('bce-p', n, 0, 1);
  p.set([0, 1, 1e-9, 1 - 1e-9, 0.5], 0);
  const t = seeded('bce-t', n, 0, 1);

  it('binaryCrossEntropy is -(t log p + (1 - t) log(1 - p)) with p clipped, within float32 rounding', () => {
    const [pt, tt, out] = [tensor(p), tensor(t), tensor(n)];
    kernels.run(binaryCrossEntropyHeap, [{ tensor: pt }, { tensor: tt }, { tensor: out }], [n]);
    const expected = Array.from(p, (pv, i) => {
      const pc = clip(pv);
      return -(t[i]! * Math.log(pc) + (1 - t[i]!) * Math.log(f(1 - pc)));
    });
    expectClose(values(out), expected, 2e-6);
    tf.dispose([pt, tt, out]);
  });

  it('binaryCrossEntropy passes a NaN output through', () => {
    const [pt, tt, out] = [tensor([Number.NaN, 0.5, 0.5, 0.5, Number.NaN]), tensor([0, 0, 1, 0, 1]), tensor(5)];
    kernels.run(binaryCrossEntropyHeap, [{ tensor: pt }, { tensor: tt }, { tensor: out }], [5]);
    const result = values(out);
    expect(Number.isNaN(result[0]!) && Number.isNaN(result[4]!)).toBe(true);
    tf.dispose([pt, tt, out]);
  });

  it('binaryCrossEntropyGradient is dy (p - t) / (p (1 - p)) with p clipped', () => {
    const dy = seeded('bce-dy', n);
    const [pt, tt, dyt, dp] = [tensor(p), tensor(t), tensor(dy), tensor(n)];
    kernels.run(binaryCrossEntropyGradientHeap, [{ tensor: pt }, { tensor: tt }, { tensor: dyt }, { tensor: dp }], [n]);
    const expected = Array.from(p, (pv, i) => {
      const pc = clip(pv);
      return (dy[i]! * (pc - t[i]!)) / (pc * f(1 - pc));
    });
    expectClose(values(dp), expected, 1e-5);
    tf.dispose([pt, tt, dyt, dp]);
  });

  it('binaryCrossEntropySum is scale times the sum of the elementwise kernel, in double over blocks', () => {
    const [pt, tt, each, out] = [tensor(p), tensor(t), tensor(n), tensor(1)];
    kernels.run(binaryCrossEntropyHeap, [{ tensor: pt }, { tensor: tt }, { tensor: each }], [n]);
    const scale = 1 / n;
    kernels.run(binaryCrossEntropySumHeap, [{ tensor: pt }, { tensor: tt }, { tensor: out }], [n], [scale]);
    // The elementwise kernel's floats summed in double: blocks change the order, so within a float's rounding.
    const sum = values(each).reduce((a, b) => a + b, 0);
    expect(Math.abs(values(out)[0]! - sum * Math.fround(scale)) / (sum * scale)).toBeLessThan(1e-7);
    tf.dispose([pt, tt, each, out]);
  });

  it('binaryCrossEntropySum is NaN when an output is', () => {
    const q = Float32Array.from(p);
    q[n - 1] = Number.NaN;
    const [pt, tt, out] = [tensor(q), tensor(t), tensor(1)];
    kernels.run(binaryCrossEntropySumHeap, [{ tensor: pt }, { tensor: tt }, { tensor: out }], [n], [1]);
    expect(values(out)[0]).toBeNaN();
    tf.dispose([pt, tt, out]);
  });

  it('binaryCrossEntropySumGradient is the elementwise gradient with dy = scale times the scalar dy', () => {
    const scale = 1 / 256;
    const [pt, tt, dyt, dp, dyAll, dpAll] = [tensor(p), tensor(t), tensor([3]), tensor(n), tensor(new Float32Array(n).fill(Math.fround(3 * scale))), tensor(n)];
    kernels.run(binaryCrossEntropySumGradientHeap, [{ tensor: pt }, { tensor: tt }, { tensor: dyt }, { tensor: dp }], [n], [scale]);
    kernels.run(binaryCrossEntropyGradientHeap, [{ tensor: pt }, { tensor: tt }, { tensor: dyAll }, { tensor: dpAll }], [n]);
    expect(values(dp)).toEqual(values(dpAll)); // the same float operations, saturated outputs included
    tf.dispose([pt, tt, dyt, dp, dyAll, dpAll]);
  });

  it('refuse a count past the targets or the output', () => {
    const [pt, tt, out] = [tensor(10), tensor(9), tensor(10)];
    expectRefused(() => kernels.run(binaryCrossEntropyHeap, [{ tensor: pt }, { tensor: tt }, { tensor: out }], [10]), out, /t spans elements \[0, 10\) of a tensor of 9/);
    expectRefused(() => kernels.run(binaryCrossEntropyGradientHeap, [{ tensor: pt }, { tensor: pt }, { tensor: pt }, { tensor: tt }], [10]), tt, /dp/);
    const none = tensor(0);
    expectRefused(() => kernels.run(binaryCrossEntropySumHeap, [{ tensor: pt }, { tensor: tt }, { tensor: out }], [10], [1]), out, /t spans elements \[0, 10\) of a tensor of 9/);
    expectRefused(() => kernels.run(binaryCrossEntropySumHeap, [{ tensor: pt }, { tensor: pt }, { tensor: none }], [10], [1]), none, /out spans elements \[0, 1\) of a tensor of 0/);
    expectRefused(() => kernels.run(binaryCrossEntropySumGradientHeap, [{ tensor: pt }, { tensor: pt }, { tensor: none }, { tensor: out }], [10], [1]), out, /dy spans/);
    tf.dispose(none);
    tf.dispose([pt, tt, out]);
  });
});
