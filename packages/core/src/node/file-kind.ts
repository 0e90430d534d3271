import type { Stats } from 'node:fs';

/**
 * What a path is, in words for a one-line message: "a regular file", "a
 * character device", "a FIFO (named pipe)", "a symbolic link"…
 *
 * @param stats - From `lstat` (to see links) or `stat`.
 */
export function fileKind(stats: Stats): string {
  if (stats.isFile()) return 'a regular file';
  if (stats.isDirectory()) return 'a folder';
  if (stats.isSymbolicLink()) return 'a symbolic link';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isFIFO()) return 'a FIFO (named pipe)';
  if (stats.isSocket()) return 'a socket';
  return 'not a regular file';
}

/**
 * The error code of a failed file-system call (`ENOENT`, `EACCES`…), or its message.
 *
 * @param error - What the call threw.
 */
export function errnoOf(error: unknown): string {
  return (error as NodeJS.ErrnoException)?.code ?? (error instanceof Error ? error.message : String(error));
}
