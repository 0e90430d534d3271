import { unlinkSync } from 'node:fs';
import { lstat, readdir, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Temporary files of aekit's writers: `.<target>.<pid>.<n>.tmp` beside the
 * file they become. A write in progress is known to this process, which
 * removes it when it fails and when the process exits (also on a second
 * Ctrl-C); files of processes that were killed outright are swept when the
 * next run starts in that folder.
 */
const TEMPORARY = /^\..+\.(\d+)\.(\d+)\.tmp$/;

/** A temporary file older than this is a leftover even if its process id was reused by another process. */
const STALE_MS = 60 * 60 * 1000;

const pending = new Set<string>();
let counter = 0;
let exitHook = false;

/**
 * A new temporary path beside `target`, registered for removal at exit
 * until {@link releaseTemporary} is called.
 *
 * @param target - The file the temporary file will be renamed to.
 */
export function temporaryPathFor(target: string): string {
  const path = join(dirname(target), `.${basename(target)}.${process.pid}.${Date.now()}${String(counter++ % 1000).padStart(3, '0')}.tmp`);
  pending.add(path);
  if (!exitHook) {
    exitHook = true;
    process.on('exit', removePendingNow);
  }
  return path;
}

/**
 * Forgets a temporary path: it was renamed into place or removed.
 *
 * @param path - A path from {@link temporaryPathFor}.
 */
export function releaseTemporary(path: string): void {
  pending.delete(path);
}

function removePendingNow(): void {
  for (const path of pending) {
    try {
      unlinkSync(path);
    } catch {
      // Already gone, or its folder was removed.
    }
  }
  pending.clear();
}

/**
 * Removes temporary files that killed aekit processes left in a folder and
 * its sub-folders (two levels: a run's `checkpoint/` and `model/`, a Triton
 * repository's `<model>/1/`). A file whose process is still running and
 * younger than an hour is kept: another run may be writing it.
 *
 * @example
 * ```ts
 * import { sweepTemporaryFiles } from '@aekit/core/node';
 *
 * // at the start of a run: what a killed run left half-written
 * const removed = await sweepTemporaryFiles('runs/dense'); // e.g. ['runs/dense/model/.model.json.4242.1733500000000001.tmp']
 * ```
 * @param dir - The folder to sweep; a missing folder is fine.
 * @param depth - Levels of sub-folders to visit; 2 by default.
 * @returns The paths removed.
 */
export async function sweepTemporaryFiles(dir: string, depth = 2): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const path = join(dir, name);
    let stats;
    try {
      stats = await lstat(path);
    } catch {
      continue;
    }
    if (stats.isDirectory()) {
      if (depth > 0) removed.push(...(await sweepTemporaryFiles(path, depth - 1)));
      continue;
    }
    const match = TEMPORARY.exec(name);
    if (!match || !stats.isFile() || pending.has(path)) continue;
    const pid = Number(match[1]);
    if (pid !== process.pid && isRunning(pid) && Date.now() - stats.mtimeMs < STALE_MS) continue;
    await rm(path, { force: true });
    removed.push(path);
  }
  return removed;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
