import type { AekitKernel } from '../../shared/aekit-kernel.js';
import { maxPoolGradWasm } from './wasm.js';

/** The max-pooling gradient on the heap. @internal */
export const maxPoolGradKernel: AekitKernel = {
  name: 'MaxPoolGrad',
  summary: "a SIMD loop on the heap for windows that do not overlap, else a JavaScript loop; ties go to the first maximum, as on tfjs' cpu",
  wraps: [{ backend: 'wasm', wrap: maxPoolGradWasm }],
};
