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
  inJavaScript: ([yv, dyv, dxv], n) => sigmoidGradientInJavaScript(yv!, dyv!, dxv!, n),
});

/**
 * The same float32 operations as a JavaScript loop over `n` elements, where the heap kernels cannot run.
 * @internal
 */
export function sigmoidGradientInJavaScript(y: Float32Array, dy: Float32Array, dx: Float32Array, n: number): void {
  const f = Math.fround;
  for (let i = 0; i < n; i++) dx[i] = dy[i]! * f(y[i]! * f(1 - y[i]!));
}
