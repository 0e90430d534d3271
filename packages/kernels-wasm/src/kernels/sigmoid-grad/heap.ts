import type { HeapFunction } from '../../heap/heap-kernels.js';

/** The sigmoid's gradient `dx = dy * (y * (1 - y))` for `n` elements of its output `y` (sigmoid-gradient.c). @internal */
export const sigmoidGradientHeap: HeapFunction<readonly ['n']> = {
  name: 'sigmoidGradient',
  pointers: ['y', 'dy', 'dx'],
  sizes: ['n'],
  extents: ({ n }) => [n, n, n],
};
