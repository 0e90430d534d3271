import { statfs } from 'node:fs/promises';
import { dirname } from 'node:path';
import { AeError, DiskFullError, OutputError } from '../errors.js';
import { errnoOf } from './file-kind.js';

/**
 * The one-line error for a failed write of `path`: a full disk or quota
 * (ENOSPC, EDQUOT) as a {@link DiskFullError} with the bytes needed and
 * free, any other file-system refusal (EACCES, EROFS, ENOTDIR…) as an
 * {@link OutputError} naming the path. aekit errors, and errors without an
 * errno code, pass unchanged.
 *
 * Call it after removing what the write left, so that the free space it
 * reports is what the user has.
 *
 * @param error - What the write threw.
 * @param path - The file being written (the target, not its temporary file).
 * @param bytes - Bytes the write needed, when known.
 * @example
 * ```ts
 * import { createReadStream, createWriteStream } from 'node:fs';
 * import { rm } from 'node:fs/promises';
 * import { pipeline } from 'node:stream/promises';
 * import { writeError } from '@aekit/core/node';
 *
 * const file = 'out/copy.bin';
 * try {
 *   await pipeline(createReadStream('data.bin'), createWriteStream(file));
 * } catch (error) {
 *   await rm(file, { force: true });
 *   throw await writeError(error, file);
 * }
 * ```
 */
export async function writeError(error: unknown, path: string, bytes?: number): Promise<unknown> {
  // aekit's own errors, and errors that are not the file system's, pass unchanged.
  if (error instanceof AeError || typeof (error as NodeJS.ErrnoException)?.code !== 'string') return error;
  const code = errnoOf(error);
  if (code === 'ENOSPC' || code === 'EDQUOT') {
    let available: number | undefined;
    try {
      const fs = await statfs(dirname(path));
      available = fs.bavail * fs.bsize;
    } catch {
      // The size of the free space is a courtesy.
    }
    return new DiskFullError(path, code, bytes, available);
  }
  return new OutputError(path, `cannot be written (${code})`);
}
