import type { HeapFunction } from '../../heap/heap-kernels.js';

/** The ReLU's gradient `dx = dy * step(x)` for `n` elements (NaN where `x` is NaN) (relu-gradient.c). @internal */
export const reluGradientHeap: HeapFunction<readonly ['n']> = {
  name: 'reluGradient',
  pointers: ['x', 'dy', 'dx'],
  sizes: ['n'],
  extents: ({ n }) => [n, n, n],
};
