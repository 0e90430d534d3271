import type { ModelFamily } from '@aekit/core';
import { convDenoiseFamily } from './conv-denoise/family.js';
import { convFamily } from './conv/family.js';

export { convFamily } from './conv/family.js';
export { convDenoiseFamily } from './conv-denoise/family.js';
export type { ConvDenoiseConfig } from './conv-denoise/config.js';

/** Every family of this package. */
export const convFamilies: readonly ModelFamily[] = [convFamily, convDenoiseFamily];
