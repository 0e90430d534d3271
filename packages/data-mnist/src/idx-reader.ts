import { readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { DataFileError, type ImagePreprocessing, type PreparedItems, type PrepareOptions, type PreprocessingReader } from '@aekit/core';
import { readIdxFile } from './idx.js';
import { ByteImageDataset } from './image-dataset.js';

/**
 * How `@aekit/data-mnist` applies an image description to idx files (the
 * MNIST layout): one `*-idx3-ubyte` file of images, or a folder of them,
 * every image scaled to [0, 1] as training read them, with the labels of a
 * matching `*-labels-idx1-ubyte` file where there is one. idx images are
 * not resized: their size must be the model's. Registered with core's
 * `preprocessors` when the package is imported.
 */
export const idxReader: PreprocessingReader<'image'> = {
  kind: 'image',
  reads: 'idx image files (*-idx3-ubyte), or a folder of them',

  async accepts(path: string): Promise<boolean> {
    try {
      const info = await stat(path);
      if (info.isFile()) return isImageFile(path);
      return info.isDirectory() && (await readdir(path)).some(isImageFile);
    } catch {
      return false;
    }
  },

  async read(paths: readonly string[], preprocessing: ImagePreprocessing, options: PrepareOptions = {}): Promise<PreparedItems> {
    const files: string[] = [];
    for (const path of paths) {
      if ((await stat(path)).isDirectory()) files.push(...(await readdir(path)).filter(isImageFile).sort().reverse().map((name) => join(path, name)));
      else files.push(path);
    }
    const { width, height, channels } = preprocessing;
    const per = width * height;
    const parts: { pixels: Uint8Array; labels?: Uint8Array; ids: string[] }[] = [];
    let count = 0;
    for (const file of files) {
      if (options.limit !== undefined && count >= options.limit) break;
      const images = await readIdxFile(file, 3);
      const [n, h, w] = images.dims;
      if (h !== height || w !== width || channels !== 1) {
        throw new DataFileError(file, `holds ${w}x${h} grey images; the model takes ${width}x${height}x${channels} (idx images are not resized)`);
      }
      const take = Math.min(n, (options.limit ?? Infinity) - count);
      const labels = await labelsOf(file, n);
      parts.push({ pixels: images.data.subarray(0, take * per), labels: labels?.subarray(0, take), ids: Array.from({ length: take }, (_, i) => `${basename(file)}[${i}]`) });
      count += take;
    }
    // Bytes stay bytes until a batch is read, as in training.
    const pixels = new Uint8Array(count * per);
    const labels = parts.every((p) => p.labels) ? new Uint8Array(count) : undefined;
    let offset = 0;
    for (const part of parts) {
      pixels.set(part.pixels, offset * per);
      labels?.set(part.labels!, offset);
      offset += part.ids.length;
    }
    const classes = labels ? Array.from({ length: labels.reduce((a, b) => Math.max(a, b), 0) + 1 }, (_, i) => String(i)) : undefined;
    return {
      data: new ByteImageDataset(pixels, [height, width, 1], labels),
      ids: parts.flatMap((p) => p.ids),
      idHeader: 'item',
      classes,
      skipped: 0,
      source: paths.join(', '),
    };
  },
};

function isImageFile(name: string): boolean {
  return /idx3-ubyte$/.test(name);
}

/** The labels of an images file from the labels file beside it (`x-images-idx3-ubyte` → `x-labels-idx1-ubyte`), if there is one of the same length. */
async function labelsOf(imagesFile: string, count: number): Promise<Uint8Array | undefined> {
  const labelsFile = imagesFile.replace(/images-idx3-ubyte$/, 'labels-idx1-ubyte');
  if (labelsFile === imagesFile) return undefined;
  try {
    const labels = await readIdxFile(labelsFile, 1);
    return labels.dims[0] === count ? labels.data : undefined;
  } catch {
    return undefined;
  }
}
