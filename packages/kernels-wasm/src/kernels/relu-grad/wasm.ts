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
  inJavaScript: ([xv, dyv, dxv], n) => reluGradientInJavaScript(xv!, dyv!, dxv!, n),
});

/**
 * The same rule as a JavaScript loop over `n` elements, where the heap kernels cannot run.
 * @internal
 */
export function reluGradientInJavaScript(x: Float32Array, dy: Float32Array, dx: Float32Array, n: number): void {
  for (let i = 0; i < n; i++) dx[i] = Number.isNaN(x[i]!) ? Number.NaN : dy[i]! * (x[i]! > 0 ? 1 : 0);
}
