import { elementwiseKernel } from '../../heap/elementwise-on-heap.js';
import { binaryCrossEntropyGradientHeap, binaryCrossEntropyHeap } from './heap.js';
import { BINARY_CROSS_ENTROPY, BINARY_CROSS_ENTROPY_GRAD, PROBABILITY_EPSILON } from '@aekit/core/kernels';

/**
 * The binary cross-entropy loss as one wasm kernel. Composed from tfjs ops
 * it takes about ten elementwise kernels forward and back, two of them
 * scalar `Log` loops; the heap kernel (`binary-cross-entropy.c`) reads each
 * output and target once, with SIMD logarithms. Without the heap kernels
 * (no SIMD) the same formula runs as a JavaScript loop.
 */
export const binaryCrossEntropyWasm = elementwiseKernel({
  kernelName: BINARY_CROSS_ENTROPY,
  inputs: ['p', 't'],
  outputs: 1,
  fn: binaryCrossEntropyHeap,
  inJavaScript: ([pv, tv, ov], n) => {
    for (let i = 0; i < n; i++) {
      const pc = clip(pv![i]!);
      const log1mP = Math.log(1 - pc);
      ov![i] = -(log1mP + tv![i]! * (Math.log(pc) - log1mP));
    }
  },
});

/** Its gradient for the outputs: `dy (p - t) / (p (1 - p))`, `p` clipped (`binary-cross-entropy-gradient.c`). */
export const binaryCrossEntropyGradWasm = elementwiseKernel({
  kernelName: BINARY_CROSS_ENTROPY_GRAD,
  inputs: ['p', 't', 'dy'],
  outputs: 1,
  fn: binaryCrossEntropyGradientHeap,
  inJavaScript: ([pv, tv, dyv, dpv], n) => {
    for (let i = 0; i < n; i++) {
      const pc = clip(pv![i]!);
      dpv![i] = (dyv![i]! * (pc - tv![i]!)) / (pc * (1 - pc));
    }
  },
});

function clip(p: number): number {
  return Math.min(Math.max(p, PROBABILITY_EPSILON), 1 - PROBABILITY_EPSILON);
}
