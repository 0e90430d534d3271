import { lstat, open, rename, rm } from 'node:fs/promises';
import { OutputError } from '../errors.js';
import { errnoOf, fileKind } from './file-kind.js';
import { releaseTemporary, temporaryPathFor } from './temporary-files.js';
import { writeError } from './write-errors.js';

/**
 * Writes a file so that a crash never leaves it half-written and nothing
 * but a regular file is ever replaced: the bytes go to a new temporary file
 * beside it (created exclusively, so a planted link is never followed), are
 * flushed to disk, and the temporary file is renamed over the target (an
 * atomic step on POSIX file systems).
 *
 * A target that is a device, FIFO, socket, symbolic link or folder is
 * refused with an {@link OutputError}; a full disk or quota gives a
 * `DiskFullError` naming the file and the bytes needed. On every failure
 * the temporary file is removed, and at process exit if the process ends
 * mid-write.
 *
 * @example
 * ```ts
 * import { writeFileAtomic } from '@aekit/core/node';
 *
 * // a crash mid-write leaves the old metrics.json whole, never half of the new one
 * await writeFileAtomic('runs/dense/metrics.json', JSON.stringify({ testLoss: 0.0921 }, null, 2));
 * ```
 * @param path - Target file.
 * @param data - Contents.
 * @throws OutputError (or DiskFullError) naming the file.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  await refuseToReplace(path);
  const temp = temporaryPathFor(path);
  try {
    const handle = await open(temp, 'wx');
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    // Again just before the rename: the target may have appeared meanwhile.
    await refuseToReplace(path);
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw await writeError(error, path, typeof data === 'string' ? Buffer.byteLength(data) : data.byteLength);
  } finally {
    releaseTemporary(temp);
  }
}

/**
 * Throws unless `path` is missing or a regular file: renaming over a device
 * node, a FIFO, a socket or a symbolic link would replace it (as root, even
 * `/dev/null`).
 *
 * @example
 * ```ts
 * import { refuseToReplace } from '@aekit/core/node';
 *
 * await refuseToReplace('out/scores.csv', 'give --out a new file'); // fine: missing, or a regular file
 * await refuseToReplace('/dev/null');
 * // throws OutputError: /dev/null: is a character device, and aekit replaces only regular files; choose another path
 * ```
 * @param path - A file about to be written.
 * @param advice - What the user can do instead, ending the message.
 * @throws OutputError naming the path and what it is.
 */
export async function refuseToReplace(path: string, advice = 'choose another path'): Promise<void> {
  let stats;
  try {
    stats = await lstat(path);
  } catch (error) {
    if (errnoOf(error) === 'ENOENT') return;
    throw await writeError(error, path);
  }
  if (!stats.isFile()) throw new OutputError(path, `is ${fileKind(stats)}, and aekit replaces only regular files; ${advice}`);
}
