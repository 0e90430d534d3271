import type { tf } from '@aekit/core';
import { checkUnitFloatsFromBytes, unitFloatsInto, UNIT_FLOATS_FROM_BYTES, type UnitFloatsFromBytesAttrs } from '@aekit/core/kernels';
import { heapMemory, heapOffset, type WasmHeapBackend } from '../../heap/heap-backend.js';
import { heapKernels } from '../../heap/heap-kernels.js';
import { unitFloatsInPlaceHeap } from './heap.js';

/**
 * {@link UNIT_FLOATS_FROM_BYTES} on the wasm backend, into an output made on
 * its heap: each row's bytes copied (a `memcpy`) into the last quarter of
 * the output's region, then converted there in place by one SIMD pass
 * (unit-floats-in-place.c). No float copy of the batch is made in
 * JavaScript, and none is copied in. Without the heap kernels (no SIMD),
 * core's loop writes the floats into the heap instead.
 */
export const unitFloatsFromBytesWasm: tf.KernelConfig = {
  kernelName: UNIT_FLOATS_FROM_BYTES,
  backendName: 'wasm',
  kernelFunc: ({ backend, attrs }) => {
    const heap = backend as WasmHeapBackend;
    const settings = attrs as unknown as UnitFloatsFromBytesAttrs;
    checkUnitFloatsFromBytes(settings);
    const out = heap.makeOutput(settings.shape, 'float32');
    try {
      // Views are taken after the last allocation, which may have moved the heap.
      const kernels = heapKernels(heap);
      const memory = heapMemory(heap);
      if (kernels && memory) {
        const { bytes, rows, rowLength } = settings;
        const n = rows.length * rowLength;
        const staged = new Uint8Array(memory.buffer, heapOffset(heap, out) + 3 * n, n);
        for (let i = 0; i < rows.length; i++) staged.set(bytes.subarray(rows[i]! * rowLength, (rows[i]! + 1) * rowLength), i * rowLength);
        kernels.run(unitFloatsInPlaceHeap, [{ tensor: out }], [n]);
      } else unitFloatsInto(settings, heap.typedArrayFromHeap(out));
    } catch (error) {
      heap.disposeData(out.dataId);
      throw error;
    }
    return out;
  },
};
