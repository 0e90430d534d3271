import type { HeapFunction } from '../../heap/heap-kernels.js';

/**
 * `n` floats at `out` from the `n` bytes copied into the last quarter of the
 * same region, each `byte / 255` (unit-floats-in-place.c). @internal
 */
export const unitFloatsInPlaceHeap: HeapFunction<readonly ['n']> = {
  name: 'unitFloatsInPlace',
  pointers: ['out'],
  sizes: ['n'],
  extents: ({ n }) => [n],
};
