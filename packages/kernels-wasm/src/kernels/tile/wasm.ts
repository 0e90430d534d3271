import type { tf } from '@aekit/core';
import type { WasmHeapBackend } from '../../heap/heap-backend.js';
import { replaceKernelFunc } from '../../shared/replace-kernel.js';

/**
 * `Tile` for the wasm backend as row copies on the heap: each output row
 * of the last axis is its source row, copied `reps` times along that axis.
 * tfjs' wasm kernel finds every output element's source coordinates one at
 * a time, about a hundred nanoseconds an element: the lstm family's
 * RepeatVector (its code, 256 x 32, over 28 steps) took a tenth of a
 * training step. Other dtypes than float32 and int32 run the backend's own.
 *
 * @param original - The wasm backend's own kernel.
 */
export function tileWasm(original: tf.KernelConfig): tf.KernelConfig {
  return replaceKernelFunc(original, (args) => {
    const { x } = args.inputs as { x: tf.TensorInfo };
    const { reps } = args.attrs as unknown as { reps: number[] };
    const rank = x.shape.length;
    if ((x.dtype !== 'float32' && x.dtype !== 'int32') || rank === 0 || reps.length !== rank) return original.kernelFunc(args);
    const backend = args.backend as WasmHeapBackend;
    const shape = x.shape.map((n, i) => n * reps[i]!);
    const out = backend.makeOutput(shape, x.dtype);
    const [last, rowReps] = [x.shape[rank - 1]!, reps[rank - 1]!];
    const rows = shape.reduce((a, b) => a * b, 1) / (last * rowReps || 1);
    if (last * rowReps === 0 || rows === 0) return out;
    // Views taken after the output's allocation, which may have moved the heap; as int32, so that every bit pattern is copied as it is.
    const [source, target] = [x, out].map((t) => {
      const view = backend.typedArrayFromHeap(t);
      return new Int32Array(view.buffer, view.byteOffset, view.length);
    }) as [Int32Array, Int32Array];
    const at = new Array<number>(rank - 1).fill(0); // the output row's coordinates, but for the last axis
    let to = 0;
    for (let row = 0; row < rows; row++) {
      let from = 0;
      for (let axis = 0; axis < rank - 1; axis++) from = from * x.shape[axis]! + (at[axis]! % x.shape[axis]!);
      from *= last;
      for (let r = 0; r < rowReps; r++) for (let j = 0; j < last; j++) target[to++] = source[from + j]!;
      for (let axis = rank - 2; axis >= 0; axis--) {
        if (++at[axis]! < shape[axis]!) break;
        at[axis] = 0;
      }
    }
    return out;
  });
}
