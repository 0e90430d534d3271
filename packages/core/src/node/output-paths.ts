import { lstat, mkdir, open, readdir, rm, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { OutputError } from '../errors.js';
import { refuseToReplace, writeFileAtomic } from './atomic-write.js';
import { errnoOf, fileKind } from './file-kind.js';
import { releaseTemporary, sweepTemporaryFiles, temporaryPathFor } from './temporary-files.js';
import { writeError } from './write-errors.js';

/** Name of the file that marks a folder as written by aekit, where its contents alone would not show it (a folder of images). */
export const OUTPUT_MARKER = '.aekit-output';

/** Options of {@link checkOutputFile} and {@link prepareOutputFolder}. */
export interface OutputPathOptions {
  /** The option that named the path, for messages; `--out` by default. */
  option?: string;
}

/** Options of {@link prepareOutputFolder}. */
export interface OutputFolderOptions extends OutputPathOptions {
  /**
   * Names of entries that show aekit wrote an existing folder (any one is
   * enough), such as `metrics.json` and `checkpoint` for a run directory.
   */
  expected?: readonly string[];
  /** Write {@link OUTPUT_MARKER} into the folder, for outputs whose files look like anyone's (cleaned images, generated pages). */
  marker?: boolean;
  /**
   * Recognises a folder of the right kind by its entries when neither the
   * marker nor an expected name is there, e.g. a Triton model repository
   * (every entry a model folder with a `config.pbtxt`) that other models share.
   */
  isOurs?: (dir: string, names: readonly string[]) => boolean | Promise<boolean>;
}

/**
 * Checks a file path a user gave for an output (`--out model.onnx`) before
 * any work is done: an existing path must be a regular file (never a
 * device, FIFO, socket, symbolic link or folder); its folder is created.
 *
 * @param path - The output file.
 * @param options - The option that named it, for messages.
 * @returns The absolute path.
 * @throws OutputError naming the path.
 * @example
 * ```ts
 * import { checkOutputFile, writeFileAtomic } from '@aekit/core/node';
 *
 * const file = await checkOutputFile('out/model.onnx', { option: '--out' }); // before the slow part
 * const bytes = new Uint8Array(16); // … convert …
 * await writeFileAtomic(file, bytes);
 * ```
 */
export async function checkOutputFile(path: string, options: OutputPathOptions = {}): Promise<string> {
  const full = resolve(path);
  await refuseToReplace(full, `give ${options.option ?? '--out'} the path of a new or regular file`);
  await makeFolder(dirname(full));
  return full;
}

/**
 * Prepares an output folder a user gave (`--out runs/x`) before any work is
 * done: an existing path must be a folder that is empty, holds aekit's
 * marker, or holds one of the `expected` entries (a folder aekit wrote
 * before); anything else (a file, a device, a folder of the user's own) is
 * refused. The folder is created, proved writable, marked when asked, and
 * swept of temporary files that killed runs left in it.
 *
 * @param dir - The output folder.
 * @param options - The option that named it, the entries that show aekit wrote it, and whether to mark it.
 * @returns The absolute path.
 * @throws OutputError naming the folder.
 * @example
 * ```ts
 * import { prepareOutputFolder } from '@aekit/core/node';
 *
 * // Refuses a folder of the user's own; accepts an empty one or one a run wrote.
 * const runDir = await prepareOutputFolder('runs/dense', { option: '--out', expected: ['metrics.json', 'model', 'checkpoint'] });
 * ```
 */
export async function prepareOutputFolder(dir: string, options: OutputFolderOptions = {}): Promise<string> {
  const full = resolve(dir);
  const option = options.option ?? '--out';
  let stats;
  try {
    stats = await stat(full);
  } catch (error) {
    const code = errnoOf(error);
    // A dangling link is something at the path; mkdir would fail on it anyway.
    if (code !== 'ENOENT') throw new OutputError(full, `cannot be used as a folder (${code})`);
    if (await exists(full)) throw new OutputError(full, `is a symbolic link to nothing; give ${option} a new folder or one aekit wrote`);
  }
  if (stats && !stats.isDirectory()) {
    throw new OutputError(full, `is ${fileKind(await lstat(full))}, not a folder; give ${option} a new folder or one aekit wrote`);
  }
  if (stats) {
    const names = await readdir(full);
    const ours =
      names.length === 0 ||
      names.includes(OUTPUT_MARKER) ||
      (options.expected ?? []).some((name) => names.includes(name)) ||
      (await options.isOurs?.(full, names)) === true;
    if (!ours) {
      const shown = names.slice(0, 3).map((n) => `'${n}'`).join(', ');
      throw new OutputError(
        full,
        `is a folder aekit did not write (it holds ${names.length} ${names.length === 1 ? 'entry' : 'entries'}: ${shown}${names.length > 3 ? ', …' : ''}); ` +
          `give ${option} a new or empty folder so that nothing of yours is overwritten`,
      );
    }
  }
  await makeFolder(full);
  await proveWritable(full);
  if (options.marker) await writeFileAtomic(join(full, OUTPUT_MARKER), 'written by aekit; ae commands may write into this folder again\n');
  await sweepTemporaryFiles(full);
  return full;
}

async function makeFolder(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
  } catch (error) {
    throw await writeError(error, dir);
  }
}

/** Writes and removes an empty temporary file, so that a read-only folder fails before any work is spent. */
async function proveWritable(dir: string): Promise<void> {
  const probe = temporaryPathFor(join(dir, 'write-test'));
  try {
    await (await open(probe, 'wx')).close();
  } catch (error) {
    throw await writeError(error, dir);
  } finally {
    await rm(probe, { force: true });
    releaseTemporary(probe);
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch {
    return false;
  }
}
