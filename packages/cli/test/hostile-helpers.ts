import { existsSync } from 'node:fs';
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { aeWithPlugins, type AeRun } from './run-ae.js';

/** The tiny plugin fixture: a small dense family and generated 4x4 stripes. */
export const tinyPlugin = fileURLToPath(new URL('./fixtures/tiny-plugin', import.meta.url));

/** `ae` with the tiny plugin, in this process. */
export const ae = aeWithPlugins(tinyPlugin);

/** A small run on the tiny plugin's stripes: seconds, not minutes. */
export const small = ['--dataset', 'stripes', '--limit', '160', '--test-limit', '32', '--batch-size', '16', '--code-points', '16', '--seed', '1'];

/**
 * Trains a two-epoch run in a new temporary folder, and returns a function
 * that copies it fresh for each case to damage.
 *
 * @param prefix - Prefix of the temporary folder.
 */
export async function trainedRun(prefix: string): Promise<{ base: string; run: string; copyOfRun: (name: string) => Promise<string> }> {
  const base = await mkdtemp(join(tmpdir(), prefix));
  const run = join(base, 'run');
  const trained = await ae('train', 'tiny', ...small, '--epochs', '2', '--out', run);
  expect(trained.err).toBe('');
  expect(trained.code).toBe(0);
  const copyOfRun = async (name: string) => {
    const dir = join(base, name);
    await rm(dir, { recursive: true, force: true });
    await cp(run, dir, { recursive: true });
    return dir;
  };
  return { base, run, copyOfRun };
}

/**
 * Rewrites a JSON file with an edit (in place, or the value the edit returns).
 *
 * @param file - The JSON file.
 * @param edit - Changes the parsed value, or returns a replacement.
 */
export async function editJson(file: string, edit: (json: Record<string, any>) => unknown): Promise<void> {
  const json = JSON.parse(await readFile(file, 'utf8'));
  const replaced = edit(json);
  await writeFile(file, JSON.stringify(replaced === undefined ? json : replaced));
}

/**
 * One line on stderr starting with `ae: `, a non-zero exit, and never "unexpected error".
 *
 * @param result - What `ae` printed and returned.
 * @param message - What the line must say.
 */
export function expectOneLineFailure(result: AeRun, message?: RegExp): void {
  expect(result.err, result.err).not.toMatch(/unexpected error/);
  expect(result.code, result.err).not.toBe(0);
  expect(result.err.split('\n'), result.err).toHaveLength(1);
  expect(result.err).toMatch(/^ae: /);
  if (message) expect(result.err).toMatch(message);
}

/**
 * Temporary files a writer left anywhere under `dir`.
 *
 * @param dir - The folder to search.
 */
export async function temporaryFiles(dir: string): Promise<string[]> {
  if (!existsSync(dir)) return [];
  const entries = await readdir(dir, { recursive: true });
  return entries.filter((name) => name.endsWith('.tmp'));
}
