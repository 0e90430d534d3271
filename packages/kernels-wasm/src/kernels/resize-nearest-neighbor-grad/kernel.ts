import type { AekitKernel } from '../../shared/aekit-kernel.js';
import { resizeNearestNeighborGrad } from './wrap.js';

/** The up-sampling's gradient as block sums: faster on wasm, correct on cpu. @internal */
export const resizeNearestNeighborGradKernel: AekitKernel = {
  name: 'ResizeNearestNeighborGrad',
  summary: "block sums on the heap (wasm); on cpu a correction of tfjs' kernel, which mixes up the examples of a batch",
  wraps: [
    { backend: 'wasm', wrap: (original) => resizeNearestNeighborGrad('wasm', original) },
    { backend: 'cpu', wrap: (original) => resizeNearestNeighborGrad('cpu', original) },
  ],
};
