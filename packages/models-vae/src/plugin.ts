import type { AutoencoderPlugin } from '@aekit/core';
import { sampleCommand } from './commands/sample.js';
import { convVaeFamily } from './conv-vae/family.js';
import { vaeFamily } from './vae/family.js';

/**
 * The `@aekit/models-vae` plugin: the `vae` and `conv-vae` families and the
 * `vae-sample` command that generates digits with a trained model. The
 * `ae` tool finds it by the `aekit-plugin` keyword; in code, pass it to
 * `registry.use(plugin)`.
 */
export const plugin: AutoencoderPlugin = {
  name: '@aekit/models-vae',
  // Lets worker threads import this module to build the same models (fit's `workers`).
  module: import.meta.url,
  families: [vaeFamily, convVaeFamily],
  commands: [sampleCommand],
};
