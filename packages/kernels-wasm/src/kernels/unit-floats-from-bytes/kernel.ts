import type { AekitKernel } from '../../shared/aekit-kernel.js';
import { UNIT_FLOATS_FROM_BYTES } from '@aekit/core/kernels';
import { unitFloatsFromBytesWasm } from './wasm.js';

/** A batch of byte images as floats in [0, 1], written straight into the heap (run by `unitFloatsFromBytes`). @internal */
export const unitFloatsFromBytesKernel: AekitKernel = {
  name: UNIT_FLOATS_FROM_BYTES,
  summary: 'rows of bytes gathered by index as floats in [0, 1] (a batch of byte images): the bytes copied into the output on the heap and converted there by one SIMD pass, bit for bit the JavaScript path (which runs on other backends)',
  adds: [unitFloatsFromBytesWasm],
};
