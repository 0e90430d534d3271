import type { tf } from '../../tf.js';

/**
 * The parts of tfjs' wasm backend that kernels written in JavaScript use:
 * a fresh output buffer on the heap, and a view of a tensor's memory there.
 * A view stays valid only until the next allocation (the heap may grow).
 * @internal
 */
export type WasmHeapBackend = tf.KernelBackend & {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array;
};
