import type { AutoencoderPlugin } from '@aekit/core';
import { exportCommand } from './cli/export-command.js';
import { inferCommand } from './cli/infer-command.js';
import { serveCommand } from './cli/serve-command.js';
import { PACKAGE_NAME } from './version.js';

/**
 * The `ae` plugin of this package: no families, and the commands
 * `ae export`, `ae infer` and `ae serve`.
 */
export const plugin: AutoencoderPlugin = {
  name: PACKAGE_NAME,
  families: [],
  commands: [exportCommand, inferCommand, serveCommand],
};
