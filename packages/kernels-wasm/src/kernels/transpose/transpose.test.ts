import { describe, expect, it } from 'vitest';
import { tf } from '@aekit/core';
import { expectRefused, seeded, tensor, values, heapKernelsForTests } from '../../../test/support/heap.js';
import { swapOuterAxes, transpose2d } from './heap.js';

const kernels = heapKernelsForTests();

describe('transpose heap functions', () => {
  for (const [rows, cols] of [[5, 7], [37, 33], [4, 4], [1, 9]]) {
    it(`transpose2d moves a strided ${rows} x ${cols} block`, () => {
      // The block sits at column 2 of a matrix 3 wider; the destination is 1 wider than needed.
      const [srcStride, dstStride] = [cols + 3, rows + 1];
      const x = seeded(`t2d-${rows}-${cols}`, rows * srcStride);
      const src = tensor(x);
      const dst = tensor(cols * dstStride);
      kernels.run(transpose2d, [{ tensor: src, from: 2 }, { tensor: dst }], [rows, cols, srcStride, dstStride]);
      const out = values(dst);
      for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) expect(out[c * dstStride + r]).toBe(x[r * srcStride + 2 + c]);
      tf.dispose([src, dst]);
    });
  }

  it('swapOuterAxes turns [a, b, n] into [b, a, n], with runs that are not a multiple of 4', () => {
    const [a, b, n] = [3, 4, 5];
    const x = seeded('swap', a * b * n);
    const src = tensor(x);
    const dst = tensor(a * b * n);
    kernels.run(swapOuterAxes, [{ tensor: src }, { tensor: dst }], [a, b, n]);
    const out = values(dst);
    for (let i = 0; i < a; i++) for (let j = 0; j < b; j++) for (let k = 0; k < n; k++) expect(out[(j * a + i) * n + k]).toBe(x[(i * b + j) * n + k]);
    tf.dispose([src, dst]);
  });

  it('refuse strides, offsets and sizes that reach past a tensor', () => {
    const src = tensor(seeded('past', 20));
    const dst = tensor(20);
    // 4 x 5 fits; a stride of 6 needs 3 * 6 + 5 = 23 source elements.
    expectRefused(() => kernels.run(transpose2d, [{ tensor: src }, { tensor: dst }], [4, 5, 6, 4]), dst, /src spans elements \[0, 23\)/);
    expectRefused(() => kernels.run(transpose2d, [{ tensor: src, from: 1 }, { tensor: dst }], [4, 5, 5, 4]), dst);
    expectRefused(() => kernels.run(transpose2d, [{ tensor: src }, { tensor: dst }], [4, 5, 5, 5]), dst, /dst/);
    expectRefused(() => kernels.run(swapOuterAxes, [{ tensor: src }, { tensor: dst }], [3, 7, 1]), dst);
    expectRefused(() => kernels.run(swapOuterAxes, [{ tensor: src }, { tensor: dst }], [-1, 4, 5]), dst, /non-negative int32/);
    expectRefused(() => kernels.run(swapOuterAxes, [{ tensor: src }, { tensor: dst }], [2.5, 4, 2]), dst);
    expectRefused(() => kernels.run(swapOuterAxes, [{ tensor: src }, { tensor: dst }], [4, 5]), dst, /takes 2 pointers and 3 sizes/);
    expect(() => kernels.run(swapOuterAxes, [{ tensor: src }, null], [4, 5, 1])).toThrow(/dst is required/);
    tf.dispose([src, dst]);
  });
});
