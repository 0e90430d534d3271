import { sizeOfShape, type tf } from '@aekit/core';

/** Height, width and channels (1 grey, 3 colour) of one example drawn as a picture. */
export type PictureShape = [height: number, width: number, channels: 1 | 3];

/**
 * How one example is drawn: an image shape `[h, w, 3]` in colour, any
 * other `[h, w, ...]` as a grey `h x w` picture, a flat shape whose size is
 * a perfect square (784 gives 28x28) as a grey square, otherwise one row.
 *
 * @param dataShape - Shape of one example of the data.
 */
export function pictureShape(dataShape: readonly number[]): PictureShape {
  if (dataShape.length >= 2) return [dataShape[0], dataShape[1], dataShape.length === 3 && dataShape[2] === 3 ? 3 : 1];
  const size = sizeOfShape(dataShape);
  const side = Math.round(Math.sqrt(size));
  return side * side === size ? [side, side, 1] : [1, size, 1];
}

/**
 * Splits a batch `[n, ...]` into one Float32Array picture per example:
 * colour pictures keep their three channels; for grey pictures, examples
 * with several channels are averaged.
 *
 * @param batch - A batch of examples with values in [0, 1].
 * @param shape - The picture shape; see {@link pictureShape}.
 */
export async function toPictures(batch: tf.Tensor, shape: readonly [number, number] | PictureShape): Promise<Float32Array[]> {
  const n = batch.shape[0] ?? 0;
  const pixels = shape[0] * shape[1];
  const channels = batch.size / n / pixels;
  if (!Number.isInteger(channels)) throw new RangeError(`examples of shape [${batch.shape.slice(1)}] are not ${shape[0]}x${shape[1]} pictures`);
  const values = (await batch.data()) as Float32Array;
  if (shape[2] === 3 && channels === 3) {
    return Array.from({ length: n }, (_, i) => values.slice(i * pixels * 3, (i + 1) * pixels * 3));
  }
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
