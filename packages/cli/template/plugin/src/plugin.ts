import type { AutoencoderPlugin } from '@aekit/core';
import { describeCommand } from './describe-command.js';
import { tiedFamily } from './family.js';

/**
 * The plugin object `ae` looks for: the package's main entry exports it as
 * `plugin`, and the `aekit-plugin` keyword in package.json lets `ae` find the
 * package among a project's dependencies. In code: `registry.use(plugin)`.
 */
export const plugin: AutoencoderPlugin = {
  name: '{{name}}',
  // Lets worker threads import this module to build the same models (fit's `workers`).
  module: import.meta.url,
  families: [tiedFamily],
  // `ae` subcommands; each declares its options with commandOptions (see describe-command.ts).
  commands: [describeCommand],
};
