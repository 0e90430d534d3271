import type { tf } from '@aekit/core';

/**
 * The parts of tfjs' wasm backend that kernels written outside it use:
 * a fresh output buffer on the heap, a view of a tensor's memory there,
 * where on the heap a tensor starts, and the heap itself.
 * A view stays valid only until the next allocation (the heap may grow).
 * @internal
 */
export type WasmHeapBackend = tf.KernelBackend & {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array;
  dataIdMap: { get(dataId: tf.DataId): { memoryOffset: number } | undefined };
  wasm: { asm?: { memory?: WebAssembly.Memory } };
};

/** Byte offset of a tensor's data on the wasm heap. @internal */
export function heapOffset(backend: WasmHeapBackend, info: tf.TensorInfo): number {
  const data = backend.dataIdMap.get(info.dataId);
  if (!data) throw new Error('tensor data is not on the wasm heap');
  return data.memoryOffset;
}

/**
 * The backend's heap, or `undefined` where it is not a plain
 * `WebAssembly.Memory` (the multi-threaded build's shared memory). Its
 * `buffer` is replaced when the heap grows: read it after the last
 * allocation, on every call. @internal
 */
export function heapMemory(backend: WasmHeapBackend): WebAssembly.Memory | undefined {
  const memory = backend.wasm?.asm?.memory;
  return memory instanceof WebAssembly.Memory ? memory : undefined;
}
