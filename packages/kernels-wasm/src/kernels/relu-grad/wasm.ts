import { elementwiseKernel } from '../../heap/elementwise-on-heap.js';
import { reluGradientHeap } from './heap.js';
import { RELU_GRAD } from './name.js';

/**
 * {@link RELU_GRAD} on the wasm heap: `dx = dy` where `x > 0`, else 0 (NaN
 * where `x` is NaN), one SIMD pass (`relu-gradient.c`). Without the heap
 * kernels (no SIMD) the same rule runs as a JavaScript loop.
 */
export const reluGradWasm = elementwiseKernel({
  kernelName: RELU_GRAD,
  inputs: ['x', 'dy'],
  outputs: 1,
  fn: reluGradientHeap,
  inJavaScript: ([xv, dyv, dxv], n) => {
    for (let i = 0; i < n; i++) dxv![i] = Number.isNaN(xv![i]!) ? Number.NaN : dyv![i]! * (xv![i]! > 0 ? 1 : 0);
  },
});
