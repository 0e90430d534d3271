import type { AekitKernel } from '../../shared/aekit-kernel.js';
import { tileGradConfig } from './gradient.js';
import { tileWasm } from './wasm.js';

/** `Tile` as row copies, and its gradient as one sum. @internal */
export const tileKernel: AekitKernel = {
  name: 'Tile',
  summary: "row copies on the heap instead of tfjs' element-by-element kernel, and a gradient that sums the repetitions in one reduction instead of a Slice and an Add each",
  wraps: [{ backend: 'wasm', wrap: tileWasm }],
  gradients: [tileGradConfig],
};
