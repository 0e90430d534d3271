import { sizeOfShape, type tf } from '@aekit/core';

/**
 * Height and width of one example drawn as a grayscale picture: the first
 * two dimensions of an image shape, the square of a flat shape whose size
 * is a perfect square (784 gives 28x28), otherwise one row.
 *
 * @param dataShape - Shape of one example of the data.
 */
export function pictureShape(dataShape: readonly number[]): [number, number] {
  if (dataShape.length >= 2) return [dataShape[0], dataShape[1]];
  const size = sizeOfShape(dataShape);
  const side = Math.round(Math.sqrt(size));
  return side * side === size ? [side, side] : [1, size];
}

/**
 * Splits a batch `[n, ...]` into one Float32Array picture per example,
 * averaging channels when an example has more than one.
 *
 * @param batch - A batch of examples with values in [0, 1].
 * @param shape - `[height, width]` of a picture; see {@link pictureShape}.
 */
export async function toPictures(batch: tf.Tensor, shape: readonly [number, number]): Promise<Float32Array[]> {
  const n = batch.shape[0] ?? 0;
  const pixels = shape[0] * shape[1];
  const channels = batch.size / n / pixels;
  if (!Number.isInteger(channels)) throw new RangeError(`examples of shape [${batch.shape.slice(1)}] are not ${shape[0]}x${shape[1]} pictures`);
  const values = (await batch.data()) as Float32Array;
  return Array.from({ length: n }, (_, i) => {
    const picture = new Float32Array(pixels);
    const offset = i * pixels * channels;
    for (let p = 0; p < pixels; p++) {
      let sum = 0;
      for (let c = 0; c < channels; c++) sum += values[offset + p * channels + c];
      picture[p] = sum / channels;
    }
    return picture;
  });
}
