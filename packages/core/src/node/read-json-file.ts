import { readFile, stat } from 'node:fs/promises';
import { DataFileError } from '../errors.js';
import { errnoOf, fileKind } from './file-kind.js';

/** JSON files aekit writes stay far below this; a larger one is not one of them. */
const MAX_JSON_BYTES = 256 * 1024 * 1024;

/**
 * Reads and parses a JSON file aekit wrote (`model.json`, `state.json`,
 * `metrics.json`), refusing in one line naming the file what is not one: a
 * missing file, a folder, a FIFO or device, a file too large to be ours, or
 * text that is not JSON.
 *
 * @example
 * ```ts
 * import { readJsonFile } from '@aekit/core/node';
 *
 * const metrics = await readJsonFile('runs/dense/metrics.json', 'metrics', { optional: true }); // undefined when missing
 * const state = await readJsonFile('runs/dense/checkpoint/state.json', 'checkpoint');
 * // missing: throws DataFileError 'runs/dense/checkpoint/state.json: cannot read the checkpoint (ENOENT)'
 * ```
 * @param file - The file.
 * @param what - What it should hold, for the message of a missing file (`model`, `checkpoint`…).
 * @param options - What a missing file means.
 * @param options.optional - A missing file gives `undefined` instead of an error.
 * @param options.missing - The message for a missing file.
 * @returns The parsed value, unchecked (see `parseFileContents`).
 * @throws DataFileError naming the file.
 */
export async function readJsonFile(file: string, what: string, options: { optional?: boolean; missing?: string } = {}): Promise<unknown> {
  let stats;
  try {
    stats = await stat(file);
  } catch (error) {
    const code = errnoOf(error);
    if (code === 'ENOENT' && options.optional) return undefined;
    if (code === 'ENOTDIR') throw new DataFileError(file, 'cannot be read: a part of its path is a file, not a folder (ENOTDIR)');
    throw new DataFileError(file, `${code === 'ENOENT' && options.missing ? options.missing : `cannot read the ${what}`} (${code})`);
  }
  if (!stats.isFile()) throw new DataFileError(file, `is ${fileKind(stats)}, not a regular file`);
  if (stats.size > MAX_JSON_BYTES) throw new DataFileError(file, `is ${stats.size} bytes, too large for the ${what} aekit writes`);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new DataFileError(file, `cannot read the ${what} (${errnoOf(error)})`);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new DataFileError(file, 'is not valid JSON (truncated or corrupt)');
  }
}
