import { preprocessors } from '@aekit/core';
import { importOptional } from './optional-packages.js';

/**
 * Tells core's preprocessing registry which of aekit's data packages read
 * which kind of raw items, imported on first use (they are optional peers
 * of the cli): `ae score`, `ae eval` and plugin commands such as `ae infer`
 * then read images, idx files and tables through the package that
 * registers the reader, without importing it themselves. A missing package
 * is one line naming it.
 */
export function registerReaderModules(): void {
  preprocessors.registerModule({
    kinds: ['image'],
    name: '@aekit/data-images',
    load: () => importOptional('@aekit/data-images', () => import('@aekit/data-images'), 'to read PNG and JPEG images'),
  });
  preprocessors.registerModule({
    kinds: ['image'],
    name: '@aekit/data-mnist',
    load: () => importOptional('@aekit/data-mnist', () => import('@aekit/data-mnist'), 'to read idx files'),
  });
  preprocessors.registerModule({
    kinds: ['table'],
    name: '@aekit/data-tables',
    load: () => importOptional('@aekit/data-tables', () => import('@aekit/data-tables'), 'to read table files'),
  });
}
