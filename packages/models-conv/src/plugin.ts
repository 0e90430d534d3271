import type { AutoencoderPlugin } from '@aekit/core';
import { classifyCommand } from './classify/command.js';
import { convFamilies } from './families.js';

/**
 * The aekit plugin of this package: the `conv` and `conv-denoise` families
 * and the `ae classify` command. Register it with `registry.use(plugin)`;
 * the `ae` tool does that for every installed plugin.
 */
export const plugin: AutoencoderPlugin = {
  name: '@aekit/models-conv',
  // Lets worker threads import this module to build the same models (fit's `workers`).
  module: import.meta.url,
  families: convFamilies,
  commands: [classifyCommand],
};
