import { UNIT_FLOATS_FROM_BYTES, type UnitFloatsFromBytesAttrs } from '@aekit/core/kernels';
import { heapMemory, heapOffset } from '@aekit/kernels-wasm/heap';
import { nativeBinding } from '../native-state.js';
import { nativeKernel } from './native-wrapper.js';

/** The addon's function (native/byte-rows.cc): checks every row and the output region itself, then converts. */
type UnitFloatsFromBytesNative = (heap: ArrayBuffer, outOffset: number, bytes: Uint8Array, rows: Int32Array, rowLength: number) => void;

/**
 * A batch of byte images natively: one addon call gathers the rows and
 * writes `byte / 255` (bit for bit core's floats) straight into the output
 * tensor on the heap. The addon bounds-checks the bytes, every row index
 * and the output region; the wasm kernel runs where the heap is not a
 * plain memory.
 */
export const nativeUnitFloatsFromBytes = nativeKernel(UNIT_FLOATS_FROM_BYTES, 'a batch of byte images gathered and converted in one native call, into the heap', ({ attrs, backend }) => {
  const convert = nativeBinding().binding?.unitFloatsFromBytes as UnitFloatsFromBytesNative | undefined;
  const { bytes, rows, rowLength, shape } = attrs as unknown as UnitFloatsFromBytesAttrs;
  if (!convert || !heapMemory(backend)) return undefined;
  const out = backend.makeOutput(shape, 'float32');
  try {
    // The buffer is read after the allocation: growing the memory replaces it.
    convert(heapMemory(backend)!.buffer, heapOffset(backend, out), bytes, rows, rowLength);
  } catch (error) {
    backend.disposeData(out.dataId);
    throw error;
  }
  return out;
});
