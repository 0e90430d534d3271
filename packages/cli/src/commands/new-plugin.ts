import { resolve } from 'node:path';
import { commandOptions, option, z, type OptionInput } from '@aekit/core';
import { writePluginPackage } from '../scaffold.js';

/** The options of `ae new-plugin`, declared once. */
export const newPluginOptions = commandOptions({
  dir: option(z.string().min(1), { value: 'dir', help: "where to write it (default: the name's last segment)" }),
  family: option(z.string().min(1), { value: 'name', help: 'family name (default: from the package name)' }),
});

/** Options of `ae new-plugin`; see {@link newPluginOptions}. */
export type NewPluginOptions = OptionInput<typeof newPluginOptions.shape>;

/**
 * `ae new-plugin <name>`: writes a complete plugin package (package.json
 * with the `aekit-plugin` keyword, peer and dev dependencies, a standalone
 * tsconfig, a build script, a README, one family in `src/` and a vitest
 * test that trains it) into a new directory, and says what to run next.
 *
 * @example
 * ```ts
 * import { newPluginCommand } from '@aekit/cli';
 *
 * const dir = await newPluginCommand('aekit-plugin-tied', { dir: 'plugins/tied' }, console.log);
 * console.log(dir); // the absolute path of plugins/tied, with package.json, src/, test/ and a README
 * ```
 * @param name - npm package name of the plugin.
 * @param options - Directory and family name.
 * @param options.dir - Where to write the package; the package name's last segment by default.
 * @param options.family - Family name; by default derived from the package name.
 * @param log - Where the lines go.
 */
export async function newPluginCommand(name: string, options: NewPluginOptions, log: (line: string) => void): Promise<string> {
  const dir = resolve(options.dir ?? name.split('/').pop() ?? name);
  const files = await writePluginPackage(dir, { name, family: options.family });
  log(`wrote ${name} (${files.length} files) in ${dir}`);
  log(`next: cd ${dir} && npm install && npm run build && npm test`);
  return dir;
}
