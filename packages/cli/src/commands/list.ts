import { AeError, registry } from '@aekit/core';
import { BUILT_IN_DATASET } from '../datasets.js';
import { isInstalled } from '../optional-packages.js';

/**
 * `ae list`: the families and commands that installed plugins registered.
 *
 * @example
 * ```ts
 * import { registry } from '@aekit/core';
 * import { listCommand } from '@aekit/cli';
 * import { plugin as dense } from '@aekit/models-dense';
 *
 * registry.use(dense);
 * listCommand(console.log);
 * // families:
 * //   contractive  contractive autoencoder: ...
 * //   dense        simple fully-connected autoencoder: input -> 32 relu -> input; ...
 * //   ...
 * // plugins: @aekit/models-dense
 * ```
 * @throws AeError when no plugin registered a family.
 * @param log - Where the lines go.
 */
export function listCommand(log: (line: string) => void): void {
  const families = registry.list();
  if (families.length === 0) {
    // Nothing to list is a failure to fix (no plugin installed beside ae), not a success.
    throw new AeError('no-plugins', `no families registered: no aekit plugin is installed in the project @aekit/cli is installed in; install one such as @aekit/models-dense beside it, pass --plugin <package or path>, or --project-plugins to use the plugins of the project in ${process.cwd()}`);
  }
  const width = Math.max(...families.map((f) => f.name.length));
  log('families:');
  for (const family of families) log(`  ${family.name.padEnd(width)}  ${family.description}`);
  const commands = registry.commands();
  if (commands.length > 0) {
    log('plugin commands:');
    for (const command of commands) log(`  ${command.name.padEnd(width)}  ${command.description}`);
  }
  const datasets = registry.datasets();
  log('datasets:');
  const mnist = isInstalled('@aekit/data-mnist') ? 'built in; --data DIR reads any idx image set' : 'needs @aekit/data-mnist: npm install @aekit/data-mnist';
  log(`  ${'mnist'.padEnd(width)}  MNIST digits (${mnist})`);
  for (const dataset of datasets) if (dataset.name !== BUILT_IN_DATASET) log(`  ${dataset.name.padEnd(width)}  ${dataset.description}`);
  log(`plugins: ${registry.pluginNames().join(', ')}`);
}
