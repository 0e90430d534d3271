import type { AutoencoderPlugin } from '@aekit/core';
import { serveCommand } from './cli/serve-command.js';
import { PACKAGE_NAME } from './version.js';

/** The `ae` plugin of this package: no families, and the `ae serve` command. */
export const plugin: AutoencoderPlugin = {
  name: PACKAGE_NAME,
  families: [],
  commands: [serveCommand],
};
