import type { HeapFunction } from '../../heap/heap-kernels.js';

/** Column sums of a float32 `[rows, cols]` matrix into `cols` elements (sum-rows.c). @internal */
export const sumRows: HeapFunction<readonly ['rows', 'cols']> = {
  name: 'sumRows',
  pointers: ['src', 'dst'],
  sizes: ['rows', 'cols'],
  extents: ({ rows, cols }) => [rows * cols, cols],
};
