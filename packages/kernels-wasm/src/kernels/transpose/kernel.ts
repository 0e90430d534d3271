import type { AekitKernel } from '../../shared/aekit-kernel.js';
import { transposeWasm } from './wasm.js';

/** Transposes as SIMD moves on the heap. @internal */
export const transposeKernel: AekitKernel = {
  name: 'Transpose',
  summary: 'permutations that reduce to a 2-D transpose or a swap of two outer axes run as SIMD loops on the heap',
  wraps: [{ backend: 'wasm', wrap: transposeWasm }],
};
