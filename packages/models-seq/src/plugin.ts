import type { AutoencoderPlugin } from '@aekit/core';
import { lstmFamily } from './lstm/family.js';

/** What `ae` loads from this package: the `lstm` family. */
export const plugin: AutoencoderPlugin = {
  name: '@aekit/models-seq',
  // Lets worker threads import this module to build the same models (fit's `workers`).
  module: import.meta.url,
  families: [lstmFamily],
};
