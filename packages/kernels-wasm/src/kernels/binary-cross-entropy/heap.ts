import type { HeapFunction } from '../../heap/heap-kernels.js';

/** Elementwise `-(t log p + (1 - t) log(1 - p))` of `n` outputs `p` and targets `t`, `p` clipped (binary-cross-entropy.c). @internal */
export const binaryCrossEntropyHeap: HeapFunction<readonly ['n']> = {
  name: 'binaryCrossEntropy',
  pointers: ['p', 't', 'out'],
  sizes: ['n'],
  extents: ({ n }) => [n, n, n],
};

/** Its gradient for the outputs times `dy`: `dy (p - t) / (p (1 - p))`, `p` clipped the same way (binary-cross-entropy-gradient.c). @internal */
export const binaryCrossEntropyGradientHeap: HeapFunction<readonly ['n']> = {
  name: 'binaryCrossEntropyGradient',
  pointers: ['p', 't', 'dy', 'dp'],
  sizes: ['n'],
  extents: ({ n }) => [n, n, n, n],
};
