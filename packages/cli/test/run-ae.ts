import { fileURLToPath } from 'node:url';
import { runCli } from '../src/index.js';

/** The cli package: its own dependencies are the plugins these tests' `ae` is installed with (models-conv). */
export const CLI_PACKAGE = fileURLToPath(new URL('..', import.meta.url));

/** What one `ae` call printed, and its exit code. */
export interface AeRun {
  code: number;
  out: string;
  err: string;
}

/**
 * Runs the `ae` command in this process, collecting what it logs and its
 * errors, optionally from another working directory, with the plugins of
 * the cli package's own dependencies (as if `ae` were installed with them).
 *
 * @param argv - Arguments after `ae`.
 * @param cwd - Directory to run in; the current one by default.
 */
export async function runAe(argv: string[], cwd?: string): Promise<AeRun> {
  const out: string[] = [];
  const err: string[] = [];
  const before = process.cwd();
  if (cwd) process.chdir(cwd);
  try {
    const code = await runCli(argv, { log: (l) => out.push(l), error: (l) => err.push(l) }, { pluginProject: CLI_PACKAGE });
    return { code, out: out.join('\n'), err: err.join('\n') };
  } finally {
    process.chdir(before);
  }
}

/**
 * An `ae` that always loads the given plugins (`--plugin` each), as the
 * tests' fixtures are not dependencies of the cli.
 *
 * @param plugins - Paths of plugin fixtures.
 */
export function aeWithPlugins(...plugins: string[]): (...argv: string[]) => Promise<AeRun> {
  const flags = plugins.flatMap((plugin) => ['--plugin', plugin]);
  return (...argv) => runAe([...flags, ...argv]);
}
