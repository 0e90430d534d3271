import type { tf } from '@aekit/core';
import { replaceKernelFunc, type AekitKernel } from '@aekit/kernels-wasm';
import { heapKernels, type HeapKernels, type WasmHeapBackend } from '@aekit/kernels-wasm/heap';
import { nativeActive } from '../native-state.js';

/** What a native kernel function gets: tfjs' arguments, the backend, and the heap kernels (routed to native). */
export interface NativeCall {
  inputs: tf.NamedTensorInfoMap;
  attrs: tf.NamedAttrMap;
  backend: WasmHeapBackend;
  heap: HeapKernels;
}

/**
 * A wrapper of the wasm backend's kernel `name` (aekit's wasm kernel where
 * it has one) that runs `run` while the native kernels are active; where
 * they are not, or `run` returns undefined (a case it does not take), the
 * wrapped kernel runs.
 */
export function nativeKernel(name: string, summary: string, run: (call: NativeCall) => tf.TensorInfo | tf.TensorInfo[] | undefined): AekitKernel {
  return {
    name,
    summary,
    wraps: [
      {
        backend: 'wasm',
        wrap: (original) =>
          replaceKernelFunc(original, (args) => {
            const backend = args.backend as WasmHeapBackend;
            const heap = nativeActive() ? heapKernels(backend) : undefined;
            const result = heap ? run({ inputs: args.inputs, attrs: args.attrs ?? {}, backend, heap }) : undefined;
            return result ?? original.kernelFunc(args);
          }),
      },
    ],
  };
}
