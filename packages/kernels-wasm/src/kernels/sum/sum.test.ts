import { describe, expect, it } from 'vitest';
import { tf } from '@aekit/core';
import { expectClose, expectRefused, seeded, tensor, values, heapKernelsForTests } from '../../../test/support/heap.js';
import { sumRows } from './heap.js';

const kernels = heapKernelsForTests();

describe('sumRows', () => {
  for (const [rows, cols] of [[6, 5], [9, 16], [13, 1], [1, 3]]) {
    it(`sums the columns of a [${rows}, ${cols}] matrix`, () => {
      const x = seeded(`sum-${rows}-${cols}`, rows * cols);
      const src = tensor(x);
      const dst = tensor(cols);
      kernels.run(sumRows, [{ tensor: src }, { tensor: dst }], [rows, cols]);
      const expected = Array.from({ length: cols }, (_, c) => x.filter((_, i) => i % cols === c).reduce((a, b) => a + b, 0));
      expectClose(values(dst), expected, 1e-6);
      tf.dispose([src, dst]);
    });
  }

  it('refuses a matrix larger than its tensor, or a destination narrower than its columns', () => {
    const src = tensor(seeded('sum-past', 12));
    const dst = tensor(4);
    expectRefused(() => kernels.run(sumRows, [{ tensor: src }, { tensor: dst }], [4, 4]), dst, /src spans elements \[0, 16\)/);
    expectRefused(() => kernels.run(sumRows, [{ tensor: src }, { tensor: dst }], [2, 6]), dst, /dst/);
    expect(values(dst)).toEqual(new Float32Array(4));
    tf.dispose([src, dst]);
  });
});
