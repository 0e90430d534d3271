import type { ModelFamily } from '@aekit/core';
import { convDenoiseFamily } from './conv-denoise.js';
import { convFamily } from './conv.js';

export { convFamily } from './conv.js';
export { convDenoiseFamily, type ConvDenoiseConfig } from './conv-denoise.js';

/** Every family of this package. */
export const convFamilies: readonly ModelFamily[] = [convFamily, convDenoiseFamily];
