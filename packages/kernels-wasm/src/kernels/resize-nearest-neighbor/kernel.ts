import type { AekitKernel } from '../../shared/aekit-kernel.js';
import { resizeNearestNeighborWasm } from './wasm.js';

/** Up-sampling by whole factors on the heap. @internal */
export const resizeNearestNeighborKernel: AekitKernel = {
  name: 'ResizeNearestNeighbor',
  summary: 'up-sampling by whole factors (Keras\' `UpSampling2D`) copies pixels and rows whole on the heap',
  wraps: [{ backend: 'wasm', wrap: resizeNearestNeighborWasm }],
};
