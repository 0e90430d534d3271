import type { HeapFunction } from '../../heap/heap-kernels.js';

/** `dst = src + vector` row by row, for a float32 `[rows, cols]` matrix and a `[cols]` vector; `cols` a multiple of 4 (add-to-rows.c). @internal */
export const addToRows: HeapFunction<readonly ['rows', 'cols']> = {
  name: 'addToRows',
  pointers: ['src', 'vector', 'dst'],
  sizes: ['rows', 'cols'],
  extents: ({ rows, cols }) => [rows * cols, cols, rows * cols],
  refuse: ({ cols }) => (cols % 4 !== 0 ? `cols must be a multiple of 4, got ${cols}` : undefined),
};
