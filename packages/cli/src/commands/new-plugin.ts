import { resolve } from 'node:path';
import { writePluginPackage } from '../scaffold.js';

/** Options of `ae new-plugin`. */
export interface NewPluginOptions {
  /** Where to write the package; the package name's last segment by default. */
  dir?: string;
  /** Family name; by default derived from the package name. */
  family?: string;
}

/**
 * `ae new-plugin <name>`: writes a complete plugin package (package.json
 * with the `aekit-plugin` keyword, peer and dev dependencies, a standalone
 * tsconfig, a build script, a README, one family in `src/` and a vitest
 * test that trains it) into a new directory, and says what to run next.
 *
 * @param name - npm package name of the plugin.
 * @param options - Directory and family name.
 * @param log - Where the lines go.
 */
export async function newPluginCommand(name: string, options: NewPluginOptions, log: (line: string) => void): Promise<string> {
  const dir = resolve(options.dir ?? name.split('/').pop() ?? name);
  const files = await writePluginPackage(dir, { name, family: options.family });
  log(`wrote ${name} (${files.length} files) in ${dir}`);
  log(`next: cd ${dir} && npm install && npm run build && npm test`);
  return dir;
}
