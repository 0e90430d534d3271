import { existsSync } from 'node:fs';
import { mkdir, readdir, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { AeError, commandOptions, ConfigError, DataFileError, integerIn, option, pluginCommand, z, type Autoencoder } from '@aekit/core';
import { loadAutoencoder, MODEL_JSON, prepareOutputFolder } from '@aekit/core/node';
import { isImageFileName, readGrayImage, writeGrayImage } from '@aekit/data-documents';
import { tileModelOf } from '../tile-model.js';
import { denoiseImage, type TilingOptions } from '../tiling.js';

/**
 * The model directory for a path given on the command line: a model
 * directory itself (it holds `model.json`) or a run directory of `ae train`
 * (its `model/` subdirectory).
 *
 * @throws DataFileError naming the path when neither holds a model.
 * @param path - A model directory or a run directory.
 */
export function resolveModelDirectory(path: string): string {
  for (const dir of [path, join(path, 'model')]) {
    if (existsSync(join(dir, MODEL_JSON))) return dir;
  }
  throw new DataFileError(path, `holds no ${MODEL_JSON}; give a run directory of ae train or its model/ directory`);
}

/**
 * The images to clean: the file itself, or the PNG and JPEG files directly
 * inside a folder, sorted by name.
 *
 * @throws DataFileError naming the path when it is missing, or a folder without images.
 * @param input - An image file or a folder of images.
 */
export async function listImages(input: string): Promise<string[]> {
  let info;
  try {
    info = await stat(input);
  } catch (error) {
    throw new DataFileError(input, `cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  if (!info.isDirectory()) return [input];
  const files = (await readdir(input)).filter(isImageFileName).sort();
  if (files.length === 0) throw new DataFileError(input, 'holds no PNG or JPEG images');
  return files.map((file) => join(input, file));
}

/** Options of {@link denoiseFiles}. */
export interface DenoiseFilesOptions extends TilingOptions {
  /**
   * Called after each file with the number done.
   *
   * @param done - Number of files cleaned or skipped so far.
   */
  onProgress?(done: number): void;
  /**
   * Called for each file that cannot be read, before going on with the next.
   *
   * @param error - Why the file was skipped, naming it.
   */
  onSkip?(error: DataFileError): void;
}

/**
 * Cleans image files with a trained autoencoder and writes each to `outDir`
 * under its own name, in its own format (PNG stays PNG, JPEG stays JPEG),
 * as grayscale. A file that cannot be read is skipped (and reported to
 * `onSkip`) so one bad scan does not stop a folder.
 *
 * @param autoencoder - A `doc-denoiser` (any page size) or another model of grayscale images.
 * @param files - PNG or JPEG files of any size, grayscale or colour.
 * @param outDir - Where the cleaned files go (created if missing).
 * @param options - Tiling and progress.
 * @returns The files written.
 * @throws DataFileError naming the first file that could not be read, after all the others are written.
 */
export async function denoiseFiles(autoencoder: Autoencoder, files: readonly string[], outDir: string, options: DenoiseFilesOptions = {}): Promise<string[]> {
  const model = tileModelOf(autoencoder);
  await mkdir(outDir, { recursive: true });
  const written: string[] = [];
  const failed: DataFileError[] = [];
  for (const [i, file] of files.entries()) {
    try {
      const page = await readGrayImage(file);
      const target = join(outDir, basename(file));
      await writeGrayImage(target, await denoiseImage(model, page, options));
      written.push(target);
    } catch (error) {
      if (!(error instanceof DataFileError)) throw error;
      failed.push(error);
      options.onSkip?.(error);
    }
    options.onProgress?.(i + 1);
  }
  if (failed.length > 0) throw failed[0];
  return written;
}

const OUT_MISSING = 'give a folder for the cleaned images, e.g. --out cleaned/';

/** The options of `ae denoise`, declared once: flags, help, defaults and checks derive from it. */
export const denoiseOptions = commandOptions({
  out: option(z.string({ error: OUT_MISSING }).min(1, { error: OUT_MISSING }), {
    value: 'folder',
    help: 'folder for the cleaned images (required; never the input folder)',
    required: true,
  }),
  tile: option(integerIn({ min: 0 }), { value: 'px', help: 'side of the tiles a page is cleaned in', default: 256 }),
  overlap: option(integerIn({ min: 0 }), { value: 'px', help: 'pixels neighbouring tiles share and blend', default: 32 }),
});

/**
 * `ae denoise <model> <image or folder> --out <folder>`: cleans scanned
 * pages of any size with a trained `doc-denoiser`, tile by tile with
 * blended overlaps, keeping the file names.
 */
export const denoiseCommand = pluginCommand({
  name: 'denoise',
  description: 'clean scanned pages (PNG or JPEG, any size, colour or gray) with a trained doc-denoiser, keeping file names',
  arguments: [
    { name: 'model', description: 'a run directory of ae train, or its model/ directory' },
    { name: 'input', description: 'an image file, or a folder of PNG and JPEG images' },
  ],
  options: denoiseOptions,
  async run(args, opts, io) {
    const [modelPath, input] = args;
    const outDir = resolve(opts.out);
    const files = await listImages(input);
    if (files.some((file) => resolve(file, '..') === outDir)) {
      throw new ConfigError('out', `${opts.out} is the input folder; the cleaned images would replace the originals`);
    }
    const tiling: TilingOptions = { tileSize: opts.tile, overlap: opts.overlap };
    const modelDir = resolveModelDirectory(modelPath);
    let autoencoder: Autoencoder;
    try {
      autoencoder = await loadAutoencoder(modelDir);
    } catch (error) {
      if (error instanceof AeError) throw error;
      throw new DataFileError(modelDir, `cannot be loaded (${(error as Error).message})`);
    }
    // Cleaned pages look like anyone's images: the folder must be new, empty or written by ae before (checked once the model loads, so a wrong model path creates nothing).
    try {
      await prepareOutputFolder(outDir, { marker: true });
    } catch (error) {
      autoencoder.dispose();
      throw error;
    }
    io.log(`cleaning ${files.length} image${files.length === 1 ? '' : 's'} with the ${autoencoder.family} model in ${modelDir} (${io.backend})`);
    const progress = io.progress('denoise', files.length);
    let written: string[];
    try {
      written = await denoiseFiles(autoencoder, files, outDir, {
        ...tiling,
        onProgress: (done) => progress.update(done),
        onSkip: (error) => io.log(`skipped ${error.message}`),
      });
    } finally {
      progress.stop();
      autoencoder.dispose();
    }
    io.log(`wrote ${written.length} cleaned image${written.length === 1 ? '' : 's'} to ${outDir}`);
  },
});
