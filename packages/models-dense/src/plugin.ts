import type { AutoencoderPlugin } from '@aekit/core';
import { contractiveFamily } from './contractive/family.js';
import { deepFamily } from './deep/family.js';
import { denseFamily } from './dense/family.js';
import { sparseFamily } from './sparse/family.js';

/**
 * The plugin `ae` discovers through the `aekit-plugin` keyword: the families
 * `dense`, `sparse`, `deep` and `contractive`. Register it in code with
 * `registry.use(plugin)`.
 */
export const plugin: AutoencoderPlugin = {
  name: '@aekit/models-dense',
  // Lets worker threads import this module to build the same models (fit's `workers`).
  module: import.meta.url,
  families: [denseFamily, sparseFamily, deepFamily, contractiveFamily],
};
