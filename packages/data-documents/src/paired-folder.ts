import { mkdir, readdir } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { DataFileError } from '@aekit/core';
import type { DocumentPair } from './gray-image.js';
import { isImageFileName, readGrayImage, writeGrayImage } from './image-files.js';

/** Names of the two subfolders of a paired folder. */
export const PAIRED_FOLDERS = { dirty: 'dirty', clean: 'clean' } as const;

const MAX_LISTED = 5;

/** Lists the image files of a folder by name without ending, refusing two images with the same name. */
async function imagesByName(dir: string): Promise<Map<string, string>> {
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch (error) {
    throw new DataFileError(dir, `cannot be read as a folder (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  const byName = new Map<string, string>();
  for (const file of entries.filter(isImageFileName).sort()) {
    const name = basename(file, extname(file));
    const other = byName.get(name);
    if (other) throw new DataFileError(join(dir, file), `has the same name as ${other}; keep one image per name`);
    byName.set(name, file);
  }
  return byName;
}

function listNames(names: string[]): string {
  const shown = names.slice(0, MAX_LISTED).join(', ');
  return names.length > MAX_LISTED ? `${shown} and ${names.length - MAX_LISTED} more` : shown;
}

/**
 * Reads a folder of the user's own page pairs: `dirty/` and `clean/`
 * subfolders holding PNG or JPEG images with the same names (the endings
 * may differ, e.g. `dirty/p1.jpg` and `clean/p1.png`). Images are read as
 * 8-bit grayscale.
 *
 * @param dir - The folder holding `dirty/` and `clean/`.
 * @returns The pairs, sorted by name.
 * @throws DataFileError naming the folder or file: a missing subfolder,
 *   images without a partner (listed by name), an unreadable image, or a
 *   pair whose sizes differ.
 */
export async function readPairedFolder(dir: string): Promise<DocumentPair[]> {
  const dirtyDir = join(dir, PAIRED_FOLDERS.dirty);
  const cleanDir = join(dir, PAIRED_FOLDERS.clean);
  const dirty = await imagesByName(dirtyDir);
  const clean = await imagesByName(cleanDir);
  const onlyDirty = [...dirty.keys()].filter((name) => !clean.has(name));
  const onlyClean = [...clean.keys()].filter((name) => !dirty.has(name));
  if (onlyDirty.length > 0 || onlyClean.length > 0) {
    const problems = [
      onlyDirty.length > 0 ? `no clean image for ${listNames(onlyDirty.map((n) => dirty.get(n)!))}` : '',
      onlyClean.length > 0 ? `no dirty image for ${listNames(onlyClean.map((n) => clean.get(n)!))}` : '',
    ];
    throw new DataFileError(dir, `dirty/ and clean/ do not pair up: ${problems.filter(Boolean).join('; ')}`);
  }
  if (dirty.size === 0) throw new DataFileError(dir, 'has no PNG or JPEG images in dirty/ and clean/');
  const pairs: DocumentPair[] = [];
  for (const [name, dirtyFile] of dirty) {
    const dirtyPath = join(dirtyDir, dirtyFile);
    const cleanPath = join(cleanDir, clean.get(name)!);
    const pair = { name, dirty: await readGrayImage(dirtyPath), clean: await readGrayImage(cleanPath) };
    if (pair.dirty.width !== pair.clean.width || pair.dirty.height !== pair.clean.height) {
      throw new DataFileError(
        dirtyPath,
        `is ${pair.dirty.width}x${pair.dirty.height} but its clean partner ${cleanPath} is ${pair.clean.width}x${pair.clean.height}`,
      );
    }
    pairs.push(pair);
  }
  return pairs;
}

/**
 * Writes page pairs as a paired folder (`dirty/<name>.png` and
 * `clean/<name>.png`) that {@link readPairedFolder} reads back unchanged:
 * a way to look at generated pages, or to train other tools on them.
 *
 * @param dir - Target folder (created if missing).
 * @param pairs - The pairs.
 */
export async function writePairedFolder(dir: string, pairs: readonly DocumentPair[]): Promise<void> {
  for (const kind of ['dirty', 'clean'] as const) {
    const sub = join(dir, PAIRED_FOLDERS[kind]);
    await mkdir(sub, { recursive: true });
    for (const pair of pairs) await writeGrayImage(join(sub, `${pair.name}.png`), pair[kind]);
  }
}
