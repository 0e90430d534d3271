import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { AeError, registry, type AutoencoderPlugin, type FamilyRegistry } from '@aekit/core';

/** The keyword that marks an npm package as an aekit plugin. */
export const PLUGIN_KEYWORD = 'aekit-plugin';

interface PackageJson {
  name?: string;
  keywords?: string[];
  main?: string;
  module?: string;
  exports?: unknown;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

/** Options of {@link loadPlugins}. */
export interface LoadPluginsOptions {
  /** Directory whose project's dependencies are searched; the working directory by default. */
  cwd?: string;
  /** Further plugins named explicitly: package names or paths to a package or module. */
  explicit?: readonly string[];
  /** Registry to fill; the shared one by default. */
  registry?: FamilyRegistry;
}

/**
 * Finds and registers aekit plugins: every dependency of the nearest
 * `package.json` above `cwd` whose keywords include `aekit-plugin`, plus
 * the ones named explicitly (`--plugin` or the `AE_PLUGINS` variable).
 * Users install the model packages they want; `ae` discovers them.
 *
 * @returns The names of the plugins registered.
 * @throws AeError naming an explicit plugin that cannot be found or exports no `plugin`.
 * @param options - Where to look, which plugins to add by name, and the registry to fill; all optional.
 */
export async function loadPlugins(options: LoadPluginsOptions = {}): Promise<string[]> {
  const cwd = options.cwd ?? process.cwd();
  const target = options.registry ?? registry;
  const loaded: string[] = [];
  const project = findUp(cwd, 'package.json');
  if (project) {
    const pkg = await readJson(project);
    const names = Object.keys({ ...pkg.dependencies, ...pkg.devDependencies, ...pkg.optionalDependencies });
    for (const name of names) {
      const dir = findPackageDir(dirname(project), name);
      if (!dir) continue;
      const manifest = await readJson(join(dir, 'package.json'));
      if (!manifest.keywords?.includes(PLUGIN_KEYWORD)) continue;
      loaded.push(await register(dir, manifest, target));
    }
  }
  for (const spec of options.explicit ?? []) {
    const dir = await resolveExplicit(spec, cwd);
    const manifest = await readJson(join(dir, 'package.json'));
    loaded.push(await register(dir, manifest, target, spec));
  }
  return [...new Set(loaded)];
}

async function register(dir: string, manifest: PackageJson, target: FamilyRegistry, spec?: string): Promise<string> {
  const entry = join(dir, entryOf(manifest));
  let module: { plugin?: AutoencoderPlugin };
  try {
    module = await import(pathToFileURL(entry).href);
  } catch (error) {
    throw new AeError('plugin', `plugin ${spec ?? manifest.name} failed to load from ${entry}: ${(error as Error).message}`);
  }
  if (!module.plugin || !Array.isArray(module.plugin.families)) {
    throw new AeError('plugin', `${spec ?? manifest.name} (${entry}) exports no 'plugin' with a families list`);
  }
  target.use(module.plugin);
  return module.plugin.name;
}

/** The ESM entry file of a package, from its `exports`, `module` or `main`. */
function entryOf(manifest: PackageJson): string {
  const pick = (value: unknown): string | undefined => {
    if (typeof value === 'string') return value;
    if (value && typeof value === 'object') {
      const record = value as Record<string, unknown>;
      return pick(record['.']) ?? pick(record.import) ?? pick(record.default);
    }
    return undefined;
  };
  return pick(manifest.exports) ?? manifest.module ?? manifest.main ?? 'index.js';
}

async function resolveExplicit(spec: string, cwd: string): Promise<string> {
  const pathLike = spec.startsWith('.') || isAbsolute(spec) || existsSync(join(resolve(cwd, spec), 'package.json'));
  const dir = pathLike ? resolve(cwd, spec) : findPackageDir(cwd, spec);
  if (!dir || !existsSync(dir) || !(await stat(dir)).isDirectory() || !existsSync(join(dir, 'package.json'))) {
    throw new AeError('plugin', `plugin '${spec}' not found${pathLike ? '' : ' in node_modules'}; give an installed package name or a package directory`);
  }
  return dir;
}

function findUp(from: string, file: string): string | undefined {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    if (existsSync(join(dir, file))) return join(dir, file);
    if (dirname(dir) === dir) return undefined;
  }
}

function findPackageDir(from: string, name: string): string | undefined {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

async function readJson(file: string): Promise<PackageJson> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as PackageJson;
  } catch (error) {
    throw new AeError('plugin', `${file}: cannot be read as JSON (${(error as Error).message})`);
  }
}
