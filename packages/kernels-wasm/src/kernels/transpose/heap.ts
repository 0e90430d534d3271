import type { HeapFunction } from '../../heap/heap-kernels.js';

/** `dst[c * dstStride + r] = src[r * srcStride + c]` for a `rows` x `cols` matrix (transpose2d.c). @internal */
export const transpose2d: HeapFunction<readonly ['rows', 'cols', 'srcStride', 'dstStride']> = {
  name: 'transpose2d',
  pointers: ['src', 'dst'],
  sizes: ['rows', 'cols', 'srcStride', 'dstStride'],
  extents: ({ rows, cols, srcStride, dstStride }) =>
    rows === 0 || cols === 0 ? [0, 0] : [(rows - 1) * srcStride + cols, (cols - 1) * dstStride + rows],
};

/** `[a, b, n]` to `[b, a, n]`, moving runs of `n` elements (swap-outer-axes.c). @internal */
export const swapOuterAxes: HeapFunction<readonly ['a', 'b', 'n']> = {
  name: 'swapOuterAxes',
  pointers: ['src', 'dst'],
  sizes: ['a', 'b', 'n'],
  extents: ({ a, b, n }) => [a * b * n, a * b * n],
};
