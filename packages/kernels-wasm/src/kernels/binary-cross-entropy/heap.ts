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

/**
 * `scale * sum(bce)` of `n` outputs and targets into one float `out`, in
 * blocks summed in double in a fixed order; `scale` is the float after `n`
 * (binary-cross-entropy-sum.c).
 * @internal
 */
export const binaryCrossEntropySumHeap: HeapFunction<readonly ['n']> = {
  name: 'binaryCrossEntropySum',
  pointers: ['p', 't', 'out'],
  sizes: ['n'],
  extents: ({ n }) => [n, n, 1],
};

/** Its gradient for the outputs from the scalar `dy`: `(dy scale) (p - t) / (p (1 - p))`, `p` clipped (binary-cross-entropy-sum.c). @internal */
export const binaryCrossEntropySumGradientHeap: HeapFunction<readonly ['n']> = {
  name: 'binaryCrossEntropySumGradient',
  pointers: ['p', 't', 'dy', 'dp'],
  sizes: ['n'],
  extents: ({ n }) => [n, n, 1, n],
};
