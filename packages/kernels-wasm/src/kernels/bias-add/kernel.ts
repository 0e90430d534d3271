import type { AekitKernel } from '../../shared/aekit-kernel.js';
import { biasAddWasm } from './wasm.js';

/** `Add` of a bias vector on the heap. @internal */
export const biasAddKernel: AekitKernel = {
  name: 'Add',
  summary: "adding a vector along the last axis (a layer's bias) runs on the heap instead of the general broadcasting loop",
  wraps: [{ backend: 'wasm', wrap: biasAddWasm }],
};
