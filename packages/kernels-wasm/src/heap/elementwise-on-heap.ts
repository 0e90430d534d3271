import type { tf } from '@aekit/core';
import type { WasmHeapBackend } from './heap-backend.js';
import { heapKernels, type HeapFunction } from './heap-kernels.js';

/**
 * An elementwise kernel of aekit's own on the wasm heap: the inputs named
 * `inputs` (all shaped alike), `outputs` fresh float32 buffers of that
 * shape, and the heap function `fn` run on every input and output (in that
 * order), the element count and the floats `floats(attrs)` gives; where the
 * heap kernels cannot run (no SIMD), `inJavaScript` with views of the same
 * buffers and the attributes.
 * @internal
 */
export function elementwiseKernel<Attrs = unknown>(spec: {
  kernelName: string;
  inputs: readonly string[];
  outputs: number;
  fn: HeapFunction<readonly ['n']>;
  floats?: (attrs: Attrs) => number[];
  inJavaScript: (views: Float32Array[], n: number, attrs: Attrs) => void;
}): tf.KernelConfig {
  return {
    kernelName: spec.kernelName,
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const heap = backend as WasmHeapBackend;
      const given = spec.inputs.map((name) => inputs[name]!);
      const settings = attrs as unknown as Attrs;
      const shape = [...given[0]!.shape];
      const results = Array.from({ length: spec.outputs }, () => heap.makeOutput(shape, 'float32'));
      const n = shape.reduce((a, b) => a * b, 1);
      const buffers = [...given, ...results];
      const kernels = heapKernels(heap);
      if (kernels) kernels.run(spec.fn, buffers.map((tensor) => ({ tensor })), [n], spec.floats?.(settings) ?? []);
      // Views taken after the last allocation, which may have moved the heap.
      else spec.inJavaScript(buffers.map((info) => heap.typedArrayFromHeap(info)), n, settings);
      return results.length === 1 ? results[0]! : results;
    },
  };
}
