import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { tmpdir } from 'node:os';
import type { ImageFile } from './image-files.js';

/** Bumped when the layout of the cache file changes, so old files are not misread. */
const CACHE_FORMAT = 1;

/** Where a folder's decoded images go on disk when they do not fit in memory. */
export interface DecodedCachePaths {
  /** The images, slot after slot, `height * width * channels` bytes each. */
  data: string;
  /** JSON: which slots decoded and which files were skipped; written last, so it marks a complete cache. */
  index: string;
}

/**
 * The cache files for a folder decoded at a size and channel count. The
 * name is a hash of the folder, every file's path, size and modification
 * time and the decoding settings, so a changed folder or setting decodes
 * again and an unchanged one is read straight from the cache.
 *
 * @param files - The folder's image files.
 * @param settings - Width, height and channels the images are decoded to.
 * @param settings.width - Width of a decoded image, in pixels.
 * @param settings.height - Height of a decoded image, in pixels.
 * @param settings.channels - Channels of a decoded image: 1 (grey) or 3 (colour).
 * @param cacheDir - Folder for cache files; `aekit-image-cache` in the system's temporary folder by default.
 */
export async function decodedCachePaths(
  files: readonly ImageFile[],
  settings: { width: number; height: number; channels: number },
  cacheDir = join(tmpdir(), 'aekit-image-cache'),
): Promise<DecodedCachePaths> {
  const hash = createHash('sha256').update(JSON.stringify({ CACHE_FORMAT, ...settings }));
  for (const file of files) {
    const info = await stat(file.path);
    hash.update(`${resolve(file.path)}\0${info.size}\0${info.mtimeMs}\0${file.label}\n`);
  }
  const key = hash.digest('hex').slice(0, 24);
  const base = join(cacheDir, `${key}-${settings.width}x${settings.height}x${settings.channels}`);
  return { data: `${base}.u8`, index: `${base}.json` };
}
