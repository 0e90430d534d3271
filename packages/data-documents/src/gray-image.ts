import { ConfigError } from '@aekit/core';

/**
 * An 8-bit grayscale picture, row-major, 0 black and 255 white: the form a
 * scanned page takes in a PNG file, and the form pages are kept in memory
 * (a quarter of a float copy).
 */
export interface GrayImage {
  readonly width: number;
  readonly height: number;
  /** `width * height` bytes, row by row. */
  readonly pixels: Uint8Array;
}

/** A dirty page and the clean page it was made from (or scanned from), of the same size. */
export interface DocumentPair {
  /** A name for messages and output files, e.g. `page-0007` or the user's file name. */
  readonly name: string;
  readonly dirty: GrayImage;
  readonly clean: GrayImage;
}

/**
 * Converts values in [0, 1] (clipped) to an 8-bit {@link GrayImage}, rounding
 * to the nearest level as a scanner or PNG encoder would.
 *
 * @param values - `width * height` values, row-major.
 * @param width - Columns.
 * @param height - Rows.
 */
export function grayImageFromValues(values: ArrayLike<number>, width: number, height: number): GrayImage {
  if (values.length !== width * height) {
    throw new ConfigError('values', `expected ${width * height} values for ${width}x${height}, got ${values.length}`);
  }
  const pixels = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) pixels[i] = Math.round(Math.min(1, Math.max(0, values[i])) * 255);
  return { width, height, pixels };
}

/**
 * The pixels of an image as floats in [0, 1].
 *
 * @param image - An 8-bit grayscale image.
 */
export function grayImageValues(image: GrayImage): Float32Array {
  const values = new Float32Array(image.pixels.length);
  for (let i = 0; i < values.length; i++) values[i] = image.pixels[i] / 255;
  return values;
}

/**
 * Copies the rectangle at (`x`, `y`) of size `width` x `height` out of an
 * image as floats in [0, 1] into `out` at `offset` (row-major).
 *
 * @returns `out`.
 * @param image - The image to copy from.
 * @param x - Left edge of the rectangle, in pixels.
 * @param y - Top edge of the rectangle, in pixels.
 * @param width - Width of the rectangle, in pixels.
 * @param height - Height of the rectangle, in pixels.
 * @param out - Where the values go; a new array of `width * height` by default.
 * @param offset - Index in `out` of the rectangle's first value; 0 by default.
 */
export function cropValues(
  image: GrayImage,
  x: number,
  y: number,
  width: number,
  height: number,
  out = new Float32Array(width * height),
  offset = 0,
): Float32Array {
  if (x < 0 || y < 0 || x + width > image.width || y + height > image.height) {
    throw new RangeError(`crop ${width}x${height} at (${x}, ${y}) is outside the ${image.width}x${image.height} image`);
  }
  for (let row = 0; row < height; row++) {
    const from = (y + row) * image.width + x;
    const to = offset + row * width;
    for (let col = 0; col < width; col++) out[to + col] = image.pixels[from + col] / 255;
  }
  return out;
}
