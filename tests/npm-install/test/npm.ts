import { execFile } from 'node:child_process';
import { lstat, mkdir, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** An npm cache outside the workspace that survives between runs (a clean CI starts it empty). */
export const NPM_CACHE = join(tmpdir(), 'aekit-npm-cache');

/**
 * The environment for npm and `ae` in the temporary projects: the user's own
 * npm settings, but none of the `npm_*` variables pnpm sets for the script
 * running this test (they would point npm back at the workspace).
 */
export function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    const keep = ['npm_config_registry', 'npm_config_userconfig'].includes(key.toLowerCase());
    if (keep || !/^(npm_|pnpm_)/i.test(key)) env[key] = value;
  }
  env.npm_config_cache = NPM_CACHE;
  env.npm_config_update_notifier = 'false';
  // Plain output, so the tests can read vitest's and ae's lines.
  env.NO_COLOR = '1';
  delete env.FORCE_COLOR;
  return env;
}

/** What a command printed, and how it exited. */
export interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a program and returns its output and exit code (it does not throw on a non-zero exit). */
export async function exec(file: string, args: string[], cwd: string, timeout = 600_000, env: NodeJS.ProcessEnv = {}): Promise<Ran> {
  try {
    const { stdout, stderr } = await run(file, args, { cwd, env: { ...cleanEnv(), ...env }, timeout, maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number | string; stdout?: string; stderr?: string; message: string };
    return { code: typeof e.code === 'number' ? e.code : 1, stdout: e.stdout ?? '', stderr: e.stderr ?? e.message };
  }
}

/** Runs a program and throws with its output unless it exits with 0. */
export async function ok(file: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<Ran> {
  const ran = await exec(file, args, cwd, 600_000, env);
  if (ran.code !== 0) throw new Error(`${file} ${args.join(' ')} (in ${cwd}) exited ${ran.code}:\n${ran.stdout}\n${ran.stderr}`);
  return ran;
}

/**
 * Installs packages with npm (never pnpm, never workspace links) into a new
 * project, as the README says a user does: plain `npm install`, install
 * scripts as npm runs them, and `env` as the README's command sets it
 * (`ONNXRUNTIME_NODE_INSTALL=skip` where onnxruntime-node is installed).
 *
 * @param dir - The project directory; created with a minimal package.json.
 * @param specs - Tarball paths or package names.
 * @param env - Variables the README's install command sets.
 */
export async function npmProject(dir: string, specs: string[], env: NodeJS.ProcessEnv = {}): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'aekit-user-project', version: '1.0.0', private: true, type: 'module' }, null, 2));
  await npmInstall(dir, specs, [], env);
}

/** `npm install` of the given specs (all of package.json when none) in `dir`. */
export async function npmInstall(dir: string, specs: string[], extra: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<void> {
  await ok('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', ...extra, ...specs], dir, env);
}

/** The size of a directory's files in bytes (symbolic links not followed), e.g. a project's node_modules. */
export async function directoryBytes(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += (await lstat(join(entry.parentPath, entry.name))).size;
  }
  return total;
}
