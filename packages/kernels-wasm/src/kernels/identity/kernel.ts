import type { AekitKernel } from '../../shared/aekit-kernel.js';
import { identityWasm } from './wasm.js';

/** `Identity` sharing its input's data. @internal */
export const identityKernel: AekitKernel = {
  name: 'Identity',
  summary: 'shares its input\'s data instead of copying it, as the cpu backend does',
  wraps: [{ backend: 'wasm', wrap: identityWasm }],
};
