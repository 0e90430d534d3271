import type { tf } from '../../tf.js';
import { RELU_GRAD } from './name.js';
import { reluGradientHeap } from './heap.js';
import { elementwiseOnHeap } from '../heap/elementwise-on-heap.js';

/**
 * {@link RELU_GRAD} on the wasm heap: `dx = dy` where `x > 0`, else 0 (NaN
 * where `x` is NaN), one SIMD pass. Without the heap kernels (no SIMD) the
 * same rule runs as a JavaScript loop.
 */
export const reluGradWasm: tf.KernelConfig = {
  kernelName: RELU_GRAD,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend }) => {
    const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
    const [dx] = elementwiseOnHeap(
      backend,
      [x, dy],
      1,
      reluGradientHeap,
      [],
      ([xv, dyv, dxv], n) => {
        for (let i = 0; i < n; i++) dxv![i] = Number.isNaN(xv![i]!) ? Number.NaN : dyv![i]! * (xv![i]! > 0 ? 1 : 0);
      },
    );
    return dx!;
  },
};
