import type { AekitKernel } from '../../shared/aekit-kernel.js';
import { sumWasm } from './wasm.js';

/** Sums over leading axes on the heap. @internal */
export const sumKernel: AekitKernel = {
  name: 'Sum',
  summary: 'sums over leading axes (bias gradients) as column sums on the heap, reading the tensor once',
  wraps: [{ backend: 'wasm', wrap: sumWasm }],
};
