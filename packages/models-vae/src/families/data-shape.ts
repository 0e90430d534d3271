import { ConfigError, sizeOfShape } from '@aekit/core';

function assertPositiveDims(dataShape: readonly number[]): void {
  if (dataShape.length === 0 || dataShape.some((d) => !Number.isInteger(d) || d <= 0)) {
    throw new ConfigError('dataShape', `expected positive integer dimensions, got [${dataShape.join(', ')}]`);
  }
}

/**
 * Number of input units of the dense VAE: the product of the example shape,
 * so `[28, 28, 1]` images become 784-vectors.
 *
 * @param dataShape - Shape of one example, from the build context.
 * @throws ConfigError naming `dataShape` when a dimension is not a positive integer.
 */
export function flatInputSize(dataShape: readonly number[]): number {
  assertPositiveDims(dataShape);
  return sizeOfShape(dataShape);
}

/**
 * Input shape `[height, width, channels]` of the convolutional VAE. Each of
 * its `stridedLayers` halves the height and width and the decoder doubles
 * them back, so both must be divisible by `2 ** stridedLayers`.
 *
 * @param dataShape - `[height, width, channels]`, or `[height, width]` for one channel.
 * @param stridedLayers - Number of stride-2 convolutions (the length of `filters`).
 * @param filtersField - Name of the config field that sets `stridedLayers`, for the error.
 * @throws ConfigError naming `dataShape` or `filtersField` when the images do not fit.
 */
export function imageInputShape(dataShape: readonly number[], stridedLayers: number, filtersField: string): [number, number, number] {
  assertPositiveDims(dataShape);
  if (dataShape.length !== 2 && dataShape.length !== 3) {
    throw new ConfigError('dataShape', `the convolutional VAE needs images [height, width, channels], got [${dataShape.join(', ')}]`);
  }
  const [height, width, channels = 1] = dataShape;
  const factor = 2 ** stridedLayers;
  if (height % factor !== 0 || width % factor !== 0) {
    throw new ConfigError(
      filtersField,
      `${stridedLayers} stride-2 layers need a height and width divisible by ${factor}; the images are ${height}x${width}`,
    );
  }
  return [height, width, channels];
}
