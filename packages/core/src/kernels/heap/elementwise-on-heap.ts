import type { tf } from '../../tf.js';
import type { WasmHeapBackend } from './heap-backend.js';
import { heapKernels, type HeapFunction } from './heap-kernels.js';

/**
 * Runs an elementwise step of aekit's own kernels on the wasm heap: makes
 * `outputs` fresh float32 buffers shaped like `inputs[0]`, then runs the
 * heap function `fn` on every input and output (in that order), the element
 * count and `floats`, or, where the heap kernels cannot run (no SIMD),
 * `inJavaScript` with views of the same buffers.
 * @internal
 */
export function elementwiseOnHeap(
  backend: object,
  inputs: readonly tf.TensorInfo[],
  outputs: number,
  fn: HeapFunction<readonly ['n']>,
  floats: readonly number[],
  inJavaScript: (views: Float32Array[], n: number) => void,
): tf.TensorInfo[] {
  const heap = backend as WasmHeapBackend;
  const shape = [...inputs[0]!.shape];
  const results = Array.from({ length: outputs }, () => heap.makeOutput(shape, 'float32'));
  const n = shape.reduce((a, b) => a * b, 1);
  const buffers = [...inputs, ...results];
  const kernels = heapKernels(heap);
  if (kernels) kernels.run(fn, buffers.map((tensor) => ({ tensor })), [n], floats);
  // Views taken after the last allocation, which may have moved the heap.
  else inJavaScript(buffers.map((info) => heap.typedArrayFromHeap(info)), n);
  return results;
}
