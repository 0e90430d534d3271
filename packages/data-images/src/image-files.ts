import { readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { DataFileError } from '@aekit/core';

/** File name endings read as images (case does not matter). */
export const IMAGE_EXTENSIONS = ['.png', '.jpg', '.jpeg'] as const;

/** One image file found in a folder. */
export interface ImageFile {
  /** Absolute or folder-relative path as given, joined with the file's place in the folder. */
  path: string;
  /** Index into {@link ImageFileList.classes}, or -1 for a file directly in the folder. */
  label: number;
}

/** The images of a folder and the class names its sub-folders give them. */
export interface ImageFileList {
  files: ImageFile[];
  /** Names of the top-level sub-folders that hold images, sorted; empty for a flat folder. */
  classes: string[];
}

/**
 * Lists the PNG and JPEG files of a folder and of all its sub-folders, in a
 * stable (sorted) order. As in torchvision's `ImageFolder`, the name of the
 * top-level sub-folder a file is in becomes its class, however deep it
 * lies; a flat folder has no classes. Files directly in a folder that also
 * has class folders are put in a class named `.`. Symbolic links to image
 * files count as images.
 *
 * @param dir - The folder.
 * @throws DataFileError naming the folder when it cannot be read or holds no image.
 */
export async function listImageFiles(dir: string): Promise<ImageFileList> {
  let entries: string[];
  try {
    entries = (await readdir(dir, { recursive: true, withFileTypes: true }))
      .filter((e) => (e.isFile() || e.isSymbolicLink()) && isImageName(e.name))
      .map((e) => join(e.parentPath, e.name));
  } catch (error) {
    throw new DataFileError(dir, `cannot read this folder (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  if (entries.length === 0) throw new DataFileError(dir, `holds no image files (${IMAGE_EXTENSIONS.join(', ')}), also in its sub-folders`);
  entries.sort();
  const top = entries.map((path) => {
    const parts = relative(dir, path).split(sep);
    return parts.length > 1 ? parts[0] : '.';
  });
  const classes = top.every((t) => t === '.') ? [] : [...new Set(top)].sort();
  const index = new Map(classes.map((name, i) => [name, i]));
  return { files: entries.map((path, i) => ({ path, label: index.get(top[i]) ?? -1 })), classes };
}

function isImageName(name: string): boolean {
  const lower = name.toLowerCase();
  return !name.startsWith('.') && IMAGE_EXTENSIONS.some((ext) => lower.endsWith(ext));
}
