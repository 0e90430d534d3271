import { describe, it } from 'vitest';
import { tf } from '@aekit/core';
import { expectClose, expectRefused, seeded, tensor, values, heapKernelsForTests } from '../../../test/support/heap.js';
import { addToRows } from './heap.js';

const kernels = heapKernelsForTests();

describe('addToRows', () => {
  it('adds a vector to every row', () => {
    const [rows, cols] = [5, 12];
    const x = seeded('bias-x', rows * cols);
    const b = seeded('bias-b', cols);
    const [src, vector, dst] = [tensor(x), tensor(b), tensor(rows * cols)];
    kernels.run(addToRows, [{ tensor: src }, { tensor: vector }, { tensor: dst }], [rows, cols]);
    expectClose(values(dst), Array.from(x, (v, i) => Math.fround(v + b[i % cols]!)), 0);
    tf.dispose([src, vector, dst]);
  });

  it('refuses columns that are not a multiple of 4, and a vector shorter than a row', () => {
    const [src, short, dst] = [tensor(seeded('bias-past', 24)), tensor(4), tensor(24)];
    expectRefused(() => kernels.run(addToRows, [{ tensor: src }, { tensor: short }, { tensor: dst }], [4, 6]), dst, /multiple of 4/);
    expectRefused(() => kernels.run(addToRows, [{ tensor: src }, { tensor: short }, { tensor: dst }], [3, 8]), dst, /vector spans/);
    expectRefused(() => kernels.run(addToRows, [{ tensor: src }, { tensor: short }, { tensor: dst }], [7, 4]), dst, /src spans/);
    tf.dispose([src, short, dst]);
  });
});
