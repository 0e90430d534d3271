import { constants } from 'node:fs';
import { open, realpath, stat } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { DataFileError } from '../errors.js';
import { errnoOf, fileKind } from './file-kind.js';

/** Options of {@link resolveInside} and {@link readFileInside}. */
export interface InsideOptions {
  /** The file that named the path (`model.json`, `state.json`), which errors name. */
  namedIn: string;
  /** What the path is, for messages: `weights path` by default. */
  what?: string;
  /** The exact size the file must have, when the naming file says (a weights manifest does). */
  bytes?: number;
}

/**
 * Resolves a path that a file names (a weights path in `model.json`, a
 * checkpoint's weights file) against the folder it must stay in, and checks
 * what is there: refused when it is absolute, leaves the folder (`..`, or a
 * symbolic link leading out), or is not a regular file (a FIFO would hang
 * the read, a device would never end). A file from a download or another
 * user can then make aekit read nothing but its own folder.
 *
 * @param folder - The folder the path must stay in (the model or checkpoint folder).
 * @param path - The path as the file wrote it.
 * @param options - The naming file and what the path is, for messages.
 * @returns The real path of the file.
 * @throws DataFileError naming the naming file and the path.
 * @example
 * ```ts
 * import { resolveInside } from '@aekit/core/node';
 *
 * const file = await resolveInside('runs/dense/model', 'weights-40af83da9fada5ce.bin', { namedIn: 'runs/dense/model/model.json' }); // its real, absolute path
 * await resolveInside('runs/dense/model', '../../etc/passwd', { namedIn: 'runs/dense/model/model.json' });
 * // throws DataFileError: runs/dense/model/model.json: weights path "../../etc/passwd" leaves the folder /…/runs/dense/model
 * ```
 */
export async function resolveInside(folder: string, path: unknown, options: InsideOptions): Promise<string> {
  const what = options.what ?? 'weights path';
  const fail = (problem: string) => new DataFileError(options.namedIn, `${what} ${JSON.stringify(path)} ${problem}`);
  if (typeof path !== 'string' || path === '' || path.includes('\0')) throw new DataFileError(options.namedIn, `${what} ${JSON.stringify(path) ?? String(path)} is not a file name`);
  if (isAbsolute(path)) throw fail(`is absolute; only files inside ${folder} are read`);
  const base = resolve(folder);
  const target = resolve(base, path);
  if (!isWithin(base, target)) throw fail(`leaves the folder ${base}`);
  let real: string;
  try {
    real = await realpath(target);
  } catch (error) {
    throw fail(errnoOf(error) === 'ENOENT' ? 'is missing' : `cannot be read (${errnoOf(error)})`);
  }
  if (!isWithin(await realpath(base), real)) throw fail(`is a symbolic link leading out of ${base}`);
  const stats = await stat(real);
  if (!stats.isFile()) throw fail(`is ${fileKind(stats)}, not a regular file`);
  if (options.bytes !== undefined && stats.size !== options.bytes) throw fail(sizeProblem(stats.size, options.bytes));
  return real;
}

/**
 * Reads a file that another file names, after {@link resolveInside}'s
 * checks, and never more bytes than `bytes` says: a file that grows or is
 * swapped for another kind between the check and the read is refused too.
 *
 * @param folder - The folder the path must stay in.
 * @param path - The path as the naming file wrote it.
 * @param options - The naming file, what the path is, and the size it must have.
 * @throws DataFileError naming the naming file and the path.
 * @example
 * ```ts
 * import { readFileInside } from '@aekit/core/node';
 *
 * // A weights path as model.json names it: refused if it leaves the folder or has another size.
 * const bytes = await readFileInside('runs/dense/model', 'weights.bin', { namedIn: 'runs/dense/model/model.json', bytes: 101_632 });
 * ```
 */
export async function readFileInside(folder: string, path: unknown, options: InsideOptions): Promise<Buffer> {
  const real = await resolveInside(folder, path, options);
  const fail = (problem: string) => new DataFileError(options.namedIn, `${options.what ?? 'weights path'} ${JSON.stringify(path)} ${problem}`);
  // O_NONBLOCK: had the file become a FIFO since the check, opening it would not hang.
  const handle = await open(real, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw fail(`is ${fileKind(stats)}, not a regular file`);
    const size = options.bytes ?? stats.size;
    if (stats.size !== size) throw fail(sizeProblem(stats.size, size));
    const buffer = Buffer.alloc(size);
    let done = 0;
    while (done < size) {
      const { bytesRead } = await handle.read(buffer, done, size - done, done);
      if (bytesRead === 0) throw fail(sizeProblem(done, size));
      done += bytesRead;
    }
    return buffer;
  } finally {
    await handle.close();
  }
}

function isWithin(folder: string, path: string): boolean {
  const rel = relative(folder, path);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
}

function sizeProblem(actual: number, expected: number): string {
  return actual > expected
    ? `is ${actual} bytes, more than the ${expected} its manifest describes (not the file it names)`
    : `is ${actual} bytes, less than the ${expected} its manifest describes (truncated?)`;
}
