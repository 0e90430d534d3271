import { tf } from '@aekit/core';
import { replaceKernelFunc } from '../../shared/replace-kernel.js';
import type { WasmHeapBackend } from '../../heap/heap-backend.js';
import { heapKernels } from '../../heap/heap-kernels.js';
import { sumRows } from './heap.js';

/**
 * A faster `Sum` over leading axes for the wasm backend, wrapping the one
 * it ships. Every layer's bias gradient sums its output gradient over the
 * batch (and, for convolutions, the image): `[256, 28, 28, 16]` to `[16]`.
 * The backend first transposes the reduced axes to the end, a full copy;
 * summing rows in place with SIMD (`sum-rows.c`) reads the tensor once. Other reductions run as before.
 *
 * @param original - The wasm backend's own kernel.
 */
export function sumWasm(original: tf.KernelConfig): tf.KernelConfig {
  return replaceKernelFunc(original, (args) => {
    const { x } = args.inputs as { x: tf.TensorInfo };
    const { axis, keepDims } = args.attrs as unknown as { axis: number | number[]; keepDims: boolean };
    const backend = args.backend as WasmHeapBackend;
    const kernels = heapKernels(backend);
    const axes = tf.util.parseAxisParam(axis, x.shape);
    const leading = axes.length > 0 && [...axes].sort((a, b) => a - b).every((a, i) => a === i);
    if (!kernels || !leading || x.dtype !== 'float32' || axes.length === x.shape.length) return original.kernelFunc(args);
    const rows = x.shape.slice(0, axes.length).reduce((a, b) => a * b, 1);
    const kept = x.shape.slice(axes.length);
    const cols = kept.reduce((a, b) => a * b, 1);
    if (rows === 0 || cols === 0) return original.kernelFunc(args);
    const out = backend.makeOutput(keepDims ? [...axes.map(() => 1), ...kept] : kept, 'float32');
    kernels.run(sumRows, [{ tensor: x }, { tensor: out }], [rows, cols]);
    return out;
  });
}
