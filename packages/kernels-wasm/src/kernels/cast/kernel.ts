import type { AekitKernel } from '../../shared/aekit-kernel.js';
import { castWasm } from './wasm.js';

/** A same-dtype `Cast` sharing its input's data. @internal */
export const castKernel: AekitKernel = {
  name: 'Cast',
  summary: 'a cast to the same dtype shares its input\'s data instead of copying it',
  wraps: [{ backend: 'wasm', wrap: castWasm }],
};
