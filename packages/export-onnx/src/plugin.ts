import type { AutoencoderPlugin } from '@aekit/core';
import { exportCommand } from './cli/export-command.js';
import { inferCommand } from './cli/infer-command.js';
import { PACKAGE_NAME } from './version.js';

/**
 * The `ae` plugin of this package: no families, and the commands
 * `ae export` and `ae infer` (`ae serve` is `@aekit/serve`'s).
 */
export const plugin: AutoencoderPlugin = {
  name: PACKAGE_NAME,
  families: [],
  commands: [exportCommand, inferCommand],
};
