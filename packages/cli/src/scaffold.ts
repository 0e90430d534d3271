import { readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '@aekit/core';
import { writeError } from '@aekit/core/node';

/**
 * The files of a new plugin package, shipped with the cli. The repository's
 * `examples/plugin-template` is rendered from the same files (a test checks
 * that it is), so the example and what `ae new-plugin` writes cannot drift.
 */
export const PLUGIN_TEMPLATE_DIR = fileURLToPath(new URL('../template/plugin/', import.meta.url));

/** What a new plugin is called and which aekit releases it is written against. */
export interface PluginTemplateOptions {
  /** npm package name, e.g. `aekit-plugin-tied` or `@me/aekit-tied`. */
  name: string;
  /** Family name for `ae train <family>`; by default derived from the package name. */
  family?: string;
  /** Version of `@aekit/core` for the peer and dev dependency ranges (`^version`); the installed one by default. */
  coreVersion?: string;
  /** Version of `@aekit/cli` for the dev dependency range; this cli's by default. */
  cliVersion?: string;
  /** Mark the package private (the repository's own example is never published). */
  private?: boolean;
}

const PACKAGE_NAME = /^(@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*$/;
const FAMILY_NAME = /^[a-z][a-z0-9-]*$/;

/**
 * The family name a package name suggests: its last segment without an
 * `aekit-plugin-`, `aekit-` or `-aekit-plugin` affix (`@me/aekit-plugin-tied` gives `tied`).
 *
 * @example
 * ```ts
 * import { familyNameOf } from '@aekit/cli';
 *
 * familyNameOf('@me/aekit-plugin-tied'); // 'tied'
 * familyNameOf('aekit-sparse'); // 'sparse'
 * ```
 * @param packageName - An npm package name.
 */
export function familyNameOf(packageName: string): string {
  const last = packageName.split('/').pop() ?? packageName;
  return last.replace(/^aekit-(plugin-)?/, '').replace(/-aekit(-plugin)?$/, '') || last;
}

/**
 * The files of a new plugin package, by path relative to its directory:
 * the template with the package name, family name and version ranges
 * filled in.
 *
 * @example
 * ```ts
 * import { renderPluginTemplate } from '@aekit/cli';
 *
 * const files = renderPluginTemplate({ name: 'aekit-plugin-tied' });
 * console.log([...files.keys()]); // ['README.md', '.gitignore', 'package.json', 'src/config.ts', ..., 'vitest.config.ts']
 * ```
 * @param options - The package name, family name, aekit versions to depend on and whether the package is private.
 * @throws ConfigError naming `name` or `family` when it is not a valid npm package or family name.
 */
export function renderPluginTemplate(options: PluginTemplateOptions): Map<string, string> {
  if (!PACKAGE_NAME.test(options.name)) throw new ConfigError('name', `'${options.name}' is not a valid npm package name (lowercase, optionally @scope/)`);
  const family = options.family ?? familyNameOf(options.name);
  if (!FAMILY_NAME.test(family)) throw new ConfigError('family', `'${family}' is not a valid family name (lowercase letters, digits and dashes); give one with --family`);
  const values: Record<string, string> = {
    name: options.name,
    family,
    coreVersion: options.coreVersion ?? installedVersion('@aekit/core'),
    cliVersion: options.cliVersion ?? ownVersion(),
  };
  const files = new Map<string, string>();
  for (const path of templateFiles(PLUGIN_TEMPLATE_DIR)) {
    let text = readFileSync(join(PLUGIN_TEMPLATE_DIR, path), 'utf8').replace(/\{\{(\w+)\}\}/g, (match, key: string) => values[key] ?? match);
    if (path === 'package.json' && options.private) text = text.replace(/("version": "[^"]*",\n)/, '$1  "private": true,\n');
    // npm leaves .gitignore files out of packages, so the template keeps it without the dot.
    files.set(path === 'gitignore' ? '.gitignore' : path, text);
  }
  return files;
}

/**
 * Writes a new plugin package into `dir`, which must not exist or be empty.
 *
 * @example
 * ```ts
 * import { writePluginPackage } from '@aekit/cli';
 *
 * const written = await writePluginPackage('plugins/tied', { name: 'aekit-plugin-tied', family: 'tied' });
 * console.log(written); // ['README.md', '.gitignore', 'package.json', 'src/config.ts', ...]
 * ```
 * @param dir - Directory to create the package in; created when missing.
 * @param options - The package name, family name, aekit versions to depend on and whether the package is private.
 * @returns The paths written, relative to `dir`.
 * @throws ConfigError when `dir` is not a folder or holds files already; OutputError (or DiskFullError) naming a file that cannot be written.
 */
export async function writePluginPackage(dir: string, options: PluginTemplateOptions): Promise<string[]> {
  const files = renderPluginTemplate(options);
  const existing = await stat(dir).catch(() => undefined);
  // A file, a device, a FIFO or a link to one is named as such rather than read as a folder.
  if (existing && !existing.isDirectory()) throw new ConfigError('dir', `${dir} exists and is not a folder; give a new directory with --dir`);
  if (existing && (await readdir(dir)).length > 0) throw new ConfigError('dir', `${dir} is not empty; give a new directory with --dir`);
  for (const [path, text] of files) {
    const file = join(dir, path);
    try {
      await mkdir(dirname(file), { recursive: true });
      await writeFile(file, text);
    } catch (error) {
      throw await writeError(error, file);
    }
  }
  return [...files.keys()];
}

function templateFiles(root: string, dir = root): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? templateFiles(root, path) : [relative(root, path).split('\\').join('/')];
  }).sort();
}

function installedVersion(packageName: string): string {
  const require = createRequire(import.meta.url);
  return (require(`${packageName}/package.json`) as { version: string }).version;
}

function ownVersion(): string {
  return (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}
