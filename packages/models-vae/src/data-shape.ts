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
 * its `stridedLayers` halves the height and width ('same' padding rounds
 * odd sizes up) and the decoder doubles them back, cropping any excess, so
 * any size works that is at least `2 ** stridedLayers` on each side.
 *
 * @param dataShape - `[height, width, channels]`, or `[height, width]` for one channel.
 * @param stridedLayers - Number of stride-2 convolutions (the length of `filters`).
 * @param filtersField - Name of the config field that sets `stridedLayers`, for the error.
 * @throws ConfigError naming `dataShape` or `filtersField` when the images are too small for the layers.
 */
export function imageInputShape(dataShape: readonly number[], stridedLayers: number, filtersField: string): [number, number, number] {
  assertPositiveDims(dataShape);
  if (dataShape.length !== 2 && dataShape.length !== 3) {
    throw new ConfigError('dataShape', `the convolutional VAE needs images [height, width, channels], got [${dataShape.join(', ')}]`);
  }
  const [height, width, channels = 1] = dataShape;
  const factor = 2 ** stridedLayers;
  if (height < factor || width < factor) {
    const fits = Math.max(0, Math.floor(Math.log2(Math.min(height, width))));
    throw new ConfigError(
      filtersField,
      `${stridedLayers} stride-2 layers need images of at least ${factor}x${factor}; the images are ${width}x${height} (WIDTHxHEIGHT): ` +
        `use at most ${fits} filters entries, or --image-size ${factor}x${factor} or larger`,
    );
  }
  return [height, width, channels];
}

/** Height or width after `layers` stride-2 'same' convolutions (each rounds up). */
export function stridedSize(size: number, layers: number): number {
  let out = size;
  for (let i = 0; i < layers; i++) out = Math.ceil(out / 2);
  return out;
}
