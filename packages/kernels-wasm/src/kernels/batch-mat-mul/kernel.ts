import type { AekitKernel } from '../../shared/aekit-kernel.js';
import { batchMatMulWasm } from './wasm.js';

/** Matrix products with transposed factors through XNNPACK's fast path. @internal */
export const batchMatMulKernel: AekitKernel = {
  name: 'BatchMatMul',
  summary: "products with a transposed factor transpose it first, to take XNNPACK's fast path",
  wraps: [{ backend: 'wasm', wrap: batchMatMulWasm }],
};
