import { ConfigError, type Dataset } from '@aekit/core';

/**
 * Views every image `[height, width, channels]` of a dataset as a sequence
 * of its rows, top to bottom: `height` steps of `width × channels` values
 * (MNIST: 28 steps of 28 pixels), without copying. The images come from
 * whatever reads them (a dataset provider, `@aekit/data-mnist`); this
 * package reads no data itself.
 *
 * @example
 * ```ts
 * import { loadMnist } from '@aekit/data-mnist';
 * const { train } = await loadMnist({ trainLimit: 2000 });
 * const sequences = rowSequences(train); // examples [28, 28]
 * ```
 * @param images - A dataset of images (or of examples already `[steps, values]`).
 * @throws ConfigError when the examples are not images or sequences.
 */
export function rowSequences(images: Dataset): Dataset {
  const [height, ...rest] = images.exampleShape;
  if (images.exampleShape.length < 2) throw new ConfigError('data', `cannot read examples of shape [${images.exampleShape}] as rows`);
  return images.reshape([height, rest.reduce((a, b) => a * b, 1)]);
}
