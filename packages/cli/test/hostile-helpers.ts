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

/** A key of an object or an index of a list, on the way to a value inside parsed JSON. */
export type JsonPath = readonly (string | number)[];

/**
 * The value at a path inside parsed JSON (undefined where the path breaks).
 *
 * @param root - The parsed JSON.
 * @param path - Keys and indices from the root.
 */
export function getAt(root: unknown, path: JsonPath): unknown {
  let node = root;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string | number, unknown>)[key];
  }
  return node;
}

/**
 * Replaces the value at a path inside parsed JSON, in place; the root itself for an empty path.
 *
 * @param root - The parsed JSON.
 * @param path - Keys and indices from the root.
 * @param value - The new value.
 * @returns The root (or the value, for an empty path).
 */
export function setAt(root: unknown, path: JsonPath, value: unknown): unknown {
  if (path.length === 0) return value;
  (getAt(root, path.slice(0, -1)) as Record<string | number, unknown>)[path.at(-1)!] = value;
  return root;
}

/**
 * Rewrites a JSON file with what an edit returns.
 *
 * @param file - The JSON file.
 * @param edit - Gets the parsed value and returns the new one (usually via {@link setAt}).
 */
export async function editJson(file: string, edit: (json: unknown) => unknown): Promise<void> {
  await writeFile(file, JSON.stringify(edit(JSON.parse(await readFile(file, 'utf8')))));
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
