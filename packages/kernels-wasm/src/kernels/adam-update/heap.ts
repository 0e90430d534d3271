import type { HeapFunction } from '../../heap/heap-kernels.js';

/**
 * One Adam step for `n` weights into fresh buffers, as tfjs' AdamOptimizer
 * computes it; after `n` come eight floats: `beta1`, `1 - beta1`, `beta2`,
 * `1 - beta2`, `c1`, `c2` (`1 - beta^t`), `epsilon` and `-learningRate`
 * (adam-update.c).
 * @internal
 */
export const adamUpdateHeap: HeapFunction<readonly ['n']> = {
  name: 'adamUpdate',
  pointers: ['value', 'm', 'v', 'gradient', 'newValue', 'newM', 'newV'],
  sizes: ['n'],
  extents: ({ n }) => Array.from({ length: 7 }, () => n),
};
