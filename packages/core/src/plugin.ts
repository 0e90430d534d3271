import type { DatasetProvider } from './dataset-provider.js';
import type { ModelFamily } from './family.js';
import type { PluginCommand } from './plugin-command.js';

/** What a plugin package exports as `plugin`: its families and commands. */
export interface AutoencoderPlugin {
  /** The package name, for messages. */
  readonly name: string;
  /** The families it adds. */
  readonly families: readonly ModelFamily[];
  /** Extra `ae` subcommands. */
  readonly commands?: readonly PluginCommand[];
  /** Extra data sources for `ae train --dataset`. */
  readonly datasets?: readonly DatasetProvider[];
  /**
   * The URL of the module that exports this plugin as `plugin`; set it to
   * `import.meta.url`. Training with `workers` above 1 imports it in each
   * worker thread to build the same model there.
   */
  readonly module?: string;
}
