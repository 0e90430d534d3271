import { existsSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
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

/** This package's own folder (`@aekit/cli`), from which the project `ae` is installed in is found. */
const CLI_PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));

/** Options of {@link loadPlugins}. */
export interface LoadPluginsOptions {
  /**
   * The project whose dependencies are searched for plugins: by default the
   * one `ae` is installed in (see {@link installProject}), never the folder
   * `ae` happens to run in.
   */
  project?: string;
  /**
   * Also search the nearest `package.json` above this folder (`ae
   * --project-plugins` passes the working directory): the code of that
   * project is then trusted to run.
   */
  cwdProject?: string;
  /** Further plugins named explicitly: package names or paths to a package or module. */
  explicit?: readonly string[];
  /** Where explicit package names and relative paths are resolved; the working directory by default. */
  cwd?: string;
  /** Registry to fill; the shared one by default. */
  registry?: FamilyRegistry;
}

/**
 * Finds and registers aekit plugins: the packages whose keywords include
 * `aekit-plugin` among the dependencies of the project `ae` is installed in
 * (or, for a global install, beside it), plus the ones named explicitly
 * (`--plugin` or the `AE_PLUGINS` variable). Users install the model
 * packages they want next to `ae`, and `ae` discovers them.
 *
 * The folder `ae` runs in is not searched unless asked (`cwdProject`, `ae
 * --project-plugins`): running `ae` inside a downloaded folder must not run
 * that folder's code, as reading its data is all the user asked for.
 *
 * @example
 * ```ts
 * import { loadPlugins } from '@aekit/cli';
 *
 * const names = await loadPlugins({ project: process.cwd(), explicit: ['@aekit/models-conv'] });
 * console.log(names); // e.g. ['@aekit/models-dense', '@aekit/models-conv']
 * ```
 * @returns The names of the plugins registered.
 * @throws AeError naming an explicit plugin that cannot be found or exports no `plugin`.
 * @param options - Where to look, which plugins to add by name, and the registry to fill; all optional.
 */
export async function loadPlugins(options: LoadPluginsOptions = {}): Promise<string[]> {
  const cwd = options.cwd ?? process.cwd();
  const target = options.registry ?? registry;
  const loaded: string[] = [];
  const found = options.project ? { dir: resolve(options.project), packageJson: join(resolve(options.project), 'package.json') } : installProject();
  const places = [found, ...(options.cwdProject ? [cwdProjectOf(options.cwdProject)] : [])];
  for (const place of places) {
    for (const dir of await pluginDirs(place)) {
      const manifest = await readJson(join(dir, 'package.json'));
      if (manifest.keywords?.includes(PLUGIN_KEYWORD)) loaded.push(await register(dir, manifest, target));
    }
  }
  for (const spec of options.explicit ?? []) {
    const dir = await resolveExplicit(spec, cwd);
    const manifest = await readJson(join(dir, 'package.json'));
    loaded.push(await register(dir, manifest, target, spec));
  }
  return [...new Set(loaded)];
}

/** Where {@link loadPlugins} looks: a project's `package.json`, or a `node_modules` folder whose packages were all installed on purpose (a global install). */
export interface PluginPlace {
  /** The project folder. */
  dir: string;
  /** Its `package.json`, whose dependencies are searched, if it has one. */
  packageJson?: string;
  /** A global `node_modules` whose packages are searched when there is no project. */
  nodeModules?: string;
}

/**
 * The project `ae` is installed in. For an install under `node_modules`
 * (npm, pnpm, npx) it is the folder holding the outermost `node_modules`;
 * when that folder has no `package.json` (a global install), the packages
 * installed beside `ae` in that `node_modules`. For a checkout where the
 * cli is not under `node_modules` (this repository), the nearest
 * `package.json` above the cli package: the workspace.
 *
 * @example
 * ```ts
 * import { installProject } from '@aekit/cli';
 *
 * const place = installProject();
 * console.log(place.dir); // e.g. '/home/me/my-project', where `npm install @aekit/cli` ran
 * ```
 * @param cliDir - The `@aekit/cli` package folder; this package's by default.
 */
export function installProject(cliDir: string = CLI_PACKAGE_DIR): PluginPlace {
  const parts = resolve(cliDir).split(sep);
  const first = parts.indexOf('node_modules');
  if (first > 0) {
    const dir = parts.slice(0, first).join(sep) || sep;
    const packageJson = join(dir, 'package.json');
    return existsSync(packageJson) ? { dir, packageJson } : { dir, nodeModules: join(dir, 'node_modules') };
  }
  const packageJson = findUp(dirname(resolve(cliDir)), 'package.json');
  return packageJson ? { dir: dirname(packageJson), packageJson } : { dir: resolve(cliDir) };
}

function cwdProjectOf(cwd: string): PluginPlace {
  const packageJson = findUp(cwd, 'package.json');
  return packageJson ? { dir: dirname(packageJson), packageJson } : { dir: resolve(cwd) };
}

/** Package folders to look at: a project's dependencies (installed in its own `node_modules`), or every package of a global `node_modules`. */
async function pluginDirs(place: PluginPlace): Promise<string[]> {
  if (place.packageJson && existsSync(place.packageJson)) {
    const pkg = await readJson(place.packageJson);
    const names = Object.keys({ ...pkg.dependencies, ...pkg.devDependencies, ...pkg.optionalDependencies });
    return names.map((name) => join(place.dir, 'node_modules', name)).filter((dir) => existsSync(join(dir, 'package.json')));
  }
  if (!place.nodeModules) return [];
  const dirs: string[] = [];
  for (const name of await readdir(place.nodeModules).catch(() => [] as string[])) {
    if (name.startsWith('.')) continue;
    const inner = name.startsWith('@') ? (await readdir(join(place.nodeModules, name)).catch(() => [] as string[])).map((n) => join(name, n)) : [name];
    for (const pkg of inner) if (existsSync(join(place.nodeModules, pkg, 'package.json'))) dirs.push(join(place.nodeModules, pkg));
  }
  return dirs;
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
