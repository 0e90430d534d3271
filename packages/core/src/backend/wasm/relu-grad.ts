import type { tf } from '../../tf.js';
import { RELU_GRAD } from '../../kernel-names.js';
import { heapOffset, type WasmHeapBackend } from './heap-backend.js';
import { heapKernels } from './heap-kernels.js';

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
    const heap = backend as WasmHeapBackend;
    const dx = heap.makeOutput([...x.shape], 'float32');
    const n = x.shape.reduce((a, b) => a * b, 1);
    const kernels = heapKernels(heap);
    if (kernels) {
      kernels.reluGradient(heapOffset(heap, x), heapOffset(heap, dy), heapOffset(heap, dx), n);
      return dx;
    }
    const [xv, dyv, dxv] = [x, dy, dx].map((info) => heap.typedArrayFromHeap(info)) as [Float32Array, Float32Array, Float32Array];
    for (let i = 0; i < n; i++) dxv[i] = Number.isNaN(xv[i]!) ? Number.NaN : dyv[i]! * (xv[i]! > 0 ? 1 : 0);
    return dx;
  },
};
