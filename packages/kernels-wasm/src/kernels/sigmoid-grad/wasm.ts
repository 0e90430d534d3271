import { elementwiseKernel } from '../../heap/elementwise-on-heap.js';
import { sigmoidGradientHeap } from './heap.js';
import { SIGMOID_GRAD } from './name.js';

/**
 * {@link SIGMOID_GRAD} on the wasm heap: `dx = dy * (y * (1 - y))`, one SIMD
 * pass (`sigmoid-gradient.c`). Without the heap kernels (no SIMD) the same
 * float32 operations run as a JavaScript loop.
 */
export const sigmoidGradWasm = elementwiseKernel({
  kernelName: SIGMOID_GRAD,
  inputs: ['y', 'dy'],
  outputs: 1,
  fn: sigmoidGradientHeap,
  inJavaScript: ([yv, dyv, dxv], n) => {
    const f = Math.fround;
    for (let i = 0; i < n; i++) dxv![i] = dyv![i]! * f(yv![i]! * f(1 - yv![i]!));
  },
});
