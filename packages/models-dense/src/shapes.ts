import { ConfigError, sizeOfShape, type Autoencoder } from '@aekit/core';

/**
 * Number of input units of a fully-connected family: the product of the
 * data's example shape, so `[28, 28, 1]` images become 784-vectors.
 *
 * @param dataShape - Shape of one example, from the build context.
 * @throws ConfigError naming `dataShape` when it is empty or has a
 *   dimension that is not a positive integer.
 */
export function flatInputSize(dataShape: readonly number[]): number {
  if (dataShape.length === 0 || dataShape.some((d) => !Number.isInteger(d) || d <= 0)) {
    throw new ConfigError('dataShape', `expected positive integer dimensions, got [${dataShape.join(', ')}]`);
  }
  return sizeOfShape(dataShape);
}

/**
 * The most nearly square `[height, width]` grid with `height >= width` that
 * holds exactly `units` cells: 32 gives `[8, 4]`, 64 gives `[8, 8]`, a prime
 * such as 7 gives a column `[7, 1]`.
 *
 * @param units - Number of code units, a positive integer.
 */
export function codeGrid(units: number): [number, number] {
  if (!Number.isInteger(units) || units <= 0) throw new RangeError(`a code grid needs a positive integer, got ${units}`);
  let width = Math.floor(Math.sqrt(units));
  while (units % width !== 0) width--;
  return [units / width, width];
}

/**
 * The `codeImageShape` hook every family here shares: draws a flat code of
 * `n` units as the {@link codeGrid} of `n`, so `ae train` can show codes
 * between the originals and their reconstructions.
 *
 * @param autoencoder - A model built by one of this package's families.
 */
export function codeImageShape(autoencoder: Autoencoder): readonly [number, number] {
  return codeGrid(sizeOfShape(autoencoder.latentShape));
}
