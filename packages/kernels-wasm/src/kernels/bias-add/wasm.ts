import type { tf } from '@aekit/core';
import { replaceKernelFunc } from '../../shared/replace-kernel.js';
import type { WasmHeapBackend } from '../../heap/heap-backend.js';
import { heapKernels } from '../../heap/heap-kernels.js';
import { addToRows } from './heap.js';

/**
 * A faster `Add` on the wasm backend for adding a vector along the last
 * axis (every layer's bias: `[128, 28, 28, 16] + [16]`), wrapping the
 * backend's own kernel for every other sum. The backend's general
 * broadcasting loop computes an index per element; a SIMD loop on the
 * heap (`add-to-rows.c`) reads each value once.
 *
 * @param original - The wasm backend's own kernel.
 */
export function biasAddWasm(original: tf.KernelConfig): tf.KernelConfig {
  return replaceKernelFunc(original, (args) => {
    const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
    const backend = args.backend as WasmHeapBackend;
    const [matrix, vector] = a.shape.length >= b.shape.length ? [a, b] : [b, a];
    const cols = matrix.shape[matrix.shape.length - 1] ?? 0;
    const isBias =
      a.dtype === 'float32' &&
      b.dtype === 'float32' &&
      matrix.shape.length >= 2 &&
      vector.shape.length === 1 &&
      vector.shape[0] === cols &&
      cols % 4 === 0 &&
      cols > 0;
    const kernels = isBias ? heapKernels(backend) : undefined;
    const size = matrix.shape.reduce((m, d) => m * d, 1);
    if (!kernels || size === 0) return original.kernelFunc(args);
    const out = backend.makeOutput([...matrix.shape], 'float32');
    kernels.run(addToRows, [{ tensor: matrix }, { tensor: vector }, { tensor: out }], [size / cols, cols]);
    return out;
  });
}
