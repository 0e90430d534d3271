import type { tf } from '../../tf.js';
import { ADAM_UPDATE, type AdamUpdateAttrs } from '../../kernel-names.js';
import { heapOffset, type WasmHeapBackend } from './heap-backend.js';
import { heapKernels } from './heap-kernels.js';

/**
 * {@link ADAM_UPDATE} on the wasm heap: one SIMD pass computing the new
 * weights and moments into fresh buffers. Without the heap kernels (no
 * SIMD) the same float32 steps run as a JavaScript loop.
 */
export const adamUpdateWasm: tf.KernelConfig = {
  kernelName: ADAM_UPDATE,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { value, m, v, gradient } = inputs as Record<'value' | 'm' | 'v' | 'gradient', tf.TensorInfo>;
    const { beta1, beta2, epsilon, learningRate, c1, c2 } = attrs as unknown as AdamUpdateAttrs;
    const heap = backend as WasmHeapBackend;
    const outputs = [value, m, v].map((t) => heap.makeOutput([...t.shape], 'float32'));
    const n = value.shape.reduce((a, b) => a * b, 1);
    const kernels = heapKernels(heap);
    if (kernels) {
      const [newValue, newM, newV] = outputs.map((t) => heapOffset(heap, t)) as [number, number, number];
      const at = (t: tf.TensorInfo) => heapOffset(heap, t);
      kernels.adamUpdate(at(value), at(m), at(v), at(gradient), newValue, newM, newV, n, beta1, 1 - beta1, beta2, 1 - beta2, c1, c2, epsilon, -learningRate);
      return outputs;
    }
    const f = Math.fround;
    const [x, mv, vv, g, nx, nm, nv] = [value, m, v, gradient, ...outputs].map((t) => heap.typedArrayFromHeap(t)) as Float32Array[];
    for (let i = 0; i < n; i++) {
      const mi = f(f(mv![i]! * f(beta1)) + f(g![i]! * f(1 - beta1)));
      const vi = f(f(vv![i]! * f(beta2)) + f(f(g![i]! * g![i]!) * f(1 - beta2)));
      nm![i] = mi;
      nv![i] = vi;
      nx![i] = f(f(f(f(mi / f(c1)) / f(f(Math.sqrt(f(vi / f(c2)))) + f(epsilon))) * f(-learningRate)) + x![i]!);
    }
    return outputs;
  },
};
