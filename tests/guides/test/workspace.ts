// A reader's folders for one chain of documents: a checkout of the
// repository (every top-level entry linked to this one, already installed
// and built, so its outputs — runs/, models/, … — land in a fresh folder),
// a home folder beside it, and the shims on the PATH.
import { chmod, mkdir, readdir, symlink, writeFile } from 'node:fs/promises';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { REPO } from '../blocks.mjs';

const SHIMS = fileURLToPath(new URL('../shims/', import.meta.url));

/** Programs the shims stand in for (shims/<name>.mjs). */
const SHIMMED = ['ae', 'pnpm', 'npm', 'curl', 'node'];

/** Top-level entries of the repository that are outputs or tools' state, not part of a checkout. */
const NOT_CHECKED_OUT = new Set(['.git', '.turbo', 'runs', 'scratch', 'coverage']);

/** An npm cache outside the workspace shared by the runs (as the npm-install test's). */
export const NPM_CACHE = join(process.env.TMPDIR ?? '/tmp', 'aekit-npm-cache');

/** The folders and environment of one chain. */
export interface ReaderWorkspace {
  /** The checkout a reader works in: where blocks start. */
  checkout: string;
  /** $HOME. */
  home: string;
  /** What the shims write (events, ports, pids of servers) and the block logs. */
  state: string;
  env: NodeJS.ProcessEnv;
}

/**
 * The environment of the blocks: the test's own, less what pnpm and vitest
 * set for the script running this test (npm_* would point npm back at the
 * workspace), plus the shims.
 */
function readerEnv(root: string, workspace: Omit<ReaderWorkspace, 'env'>, bin: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^(npm_|pnpm_|vitest|turbo_|node_options$|force_color$|init_cwd$)/i.test(key)) env[key] = value;
  }
  return {
    ...env,
    HOME: workspace.home,
    PATH: [bin, process.env.PATH].join(delimiter),
    GUIDE_REAL_PATH: process.env.PATH,
    GUIDE_REPO: REPO,
    GUIDE_CHECKOUT: workspace.checkout,
    GUIDE_STATE: workspace.state,
    npm_config_cache: NPM_CACHE,
    // Metadata npm fetched once in this cache is used as it is, not asked for again: installs of the same tarballs in several pages are then quick.
    npm_config_prefer_offline: 'true',
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
    NO_COLOR: '1',
    TURBO_TELEMETRY_DISABLED: '1',
    DO_NOT_TRACK: '1',
    // The folder of the chain, for stand-ins and logs.
    GUIDE_ROOT: root,
    // What the chains share: trained runs (shims/run-cache.mjs).
    GUIDE_SHARED: join(dirname(root), 'shared'),
  };
}

/** Makes the folders of a chain under `root`. */
export async function readerWorkspace(root: string): Promise<ReaderWorkspace> {
  const folders = { checkout: join(root, 'aekit'), home: join(root, 'home'), state: join(root, 'state') };
  const bin = join(root, 'bin');
  for (const dir of [...Object.values(folders), bin]) await mkdir(dir, { recursive: true });
  for (const name of await readdir(REPO)) {
    if (!NOT_CHECKED_OUT.has(name)) await symlink(join(REPO, name), join(folders.checkout, name));
  }
  for (const name of SHIMMED) {
    const file = join(bin, name);
    await writeFile(file, `#!/bin/sh\nexec "${process.execPath}" "${join(SHIMS, `${name}.mjs`)}" "$@"\n`);
    await chmod(file, 0o755);
  }
  await writeFile(join(folders.state, 'cwd'), folders.checkout);
  await writeFile(join(folders.state, 'vars.sh'), '');
  return { ...folders, env: readerEnv(root, folders, bin) };
}
