import { readdir, stat } from 'node:fs/promises';
import { relative } from 'node:path';
import { DataFileError, type ImagePreprocessing, type PreparedItems, type PrepareOptions, type PreprocessingReader, type RawItem } from '@aekit/core';
import { unitFloatsInto } from '@aekit/core/kernels';
import { decodeImage } from './decode-image.js';
import { IMAGE_EXTENSIONS } from './image-files.js';
import { loadImageFiles, loadImageFolder, type ImageFolderData } from './load-image-folder.js';

/**
 * How `@aekit/data-images` applies an image description to raw items, for
 * every command that meets them (`ae score <run> photos/`, `ae infer`,
 * serving): PNG and JPEG files or a folder of them (sub-folder names as
 * labels), decoded by {@link decodeImage} as training decoded them, so an
 * image of another size or with transparency gets the same input on every
 * path. Registered with core's `preprocessors` when the package is imported.
 */
export const imageReader: PreprocessingReader<'image'> = {
  kind: 'image',
  reads: `${IMAGE_EXTENSIONS.join('/')} files, or a folder of them (sub-folders are labels)`,

  async accepts(path: string): Promise<boolean> {
    let info;
    try {
      info = await stat(path);
    } catch {
      return false;
    }
    if (info.isFile()) return IMAGE_EXTENSIONS.some((ext) => path.toLowerCase().endsWith(ext));
    // A folder of idx files (MNIST's layout) is another reader's.
    return info.isDirectory() && !(await readdir(path)).some((name) => name.endsWith('-idx3-ubyte'));
  },

  async read(paths: readonly string[], preprocessing: ImagePreprocessing, options: PrepareOptions = {}): Promise<PreparedItems> {
    const folder = paths.length === 1 && (await stat(paths[0])).isDirectory() ? paths[0] : undefined;
    if (!folder && paths.length > 1) {
      for (const path of paths) if ((await stat(path)).isDirectory()) throw new DataFileError(path, 'is a folder; give one folder, or image files');
    }
    const settings = {
      preprocessing,
      testSplit: 0,
      skipBad: options.skipBad,
      trainLimit: options.limit,
      cacheDir: options.cacheDir,
      ...(options.cacheDir !== undefined ? { memoryBytes: 0 } : {}),
      removeCache: options.cacheDir === undefined,
      onProgress: options.onProgress,
    };
    const data: ImageFolderData = folder ? await loadImageFolder(folder, settings) : await loadImageFiles(paths, settings);
    const first = data.skipped[0];
    return {
      data: data.train,
      ids: data.files.train.map((file) => (folder ? relative(folder, file) : file)),
      idHeader: 'file',
      classes: data.classes.length > 0 ? data.classes : undefined,
      skipped: data.skipped.length,
      firstSkipped: first && `${first.file}: ${first.reason}`,
      source: data.source,
      close: () => data.close(),
    };
  },

  async prepare(items: readonly RawItem[], preprocessing: ImagePreprocessing): Promise<Float32Array> {
    const per = preprocessing.width * preprocessing.height * preprocessing.channels;
    const out = new Float32Array(items.length * per);
    for (const [i, item] of items.entries()) {
      if (!(item instanceof Uint8Array)) throw new DataFileError(`items[${i}]`, 'expected the bytes of a PNG or JPEG image');
      const { pixels } = await decodeImage(item, preprocessing, `items[${i}]`);
      unitFloatsInto({ bytes: pixels, rows: Int32Array.of(0), rowLength: per, shape: [1, per] }, out, i * per);
    }
    return out;
  },
};
