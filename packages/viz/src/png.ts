import { PNG } from 'pngjs';
import { ConfigError } from '@aekit/core';

/**
 * Encodes a grayscale image with values in [0, 1] as PNG bytes (pngjs: a
 * maintained, pure-JavaScript encoder, so nothing native is needed).
 *
 * @param values - `height * width` values, row-major; clipped to [0, 1].
 * @param height - Rows.
 * @param width - Columns.
 */
export function encodeGrayPng(values: ArrayLike<number>, height: number, width: number): Buffer {
  if (values.length !== height * width) {
    throw new ConfigError('values', `expected ${height * width} values for ${height}x${width}, got ${values.length}`);
  }
  const png = new PNG({ width, height, colorType: 0, inputColorType: 0, bitDepth: 8 });
  const rgba = Buffer.alloc(width * height * 4);
  for (let i = 0; i < values.length; i++) {
    const v = Math.round(Math.min(1, Math.max(0, values[i])) * 255);
    rgba[i * 4] = rgba[i * 4 + 1] = rgba[i * 4 + 2] = v;
    rgba[i * 4 + 3] = 255;
  }
  png.data = rgba;
  return PNG.sync.write(png, { colorType: 0 });
}

/**
 * Encodes a grey (1 channel) or RGB colour (3 channels) image with values in
 * [0, 1] as PNG bytes.
 *
 * @param values - `height * width * channels` values, row-major, channels last; clipped to [0, 1].
 * @param height - Rows.
 * @param width - Columns.
 * @param channels - 1 or 3.
 */
export function encodePng(values: ArrayLike<number>, height: number, width: number, channels: 1 | 3 = 1): Buffer {
  if (channels === 1) return encodeGrayPng(values, height, width);
  if (values.length !== height * width * 3) {
    throw new ConfigError('values', `expected ${height * width * 3} values for ${height}x${width}x3, got ${values.length}`);
  }
  const png = new PNG({ width, height, colorType: 2, inputColorType: 2, bitDepth: 8 });
  const rgba = Buffer.alloc(width * height * 4);
  for (let p = 0; p < width * height; p++) {
    for (let c = 0; c < 3; c++) rgba[p * 4 + c] = Math.round(Math.min(1, Math.max(0, values[p * 3 + c])) * 255);
    rgba[p * 4 + 3] = 255;
  }
  png.data = rgba;
  return PNG.sync.write(png, { colorType: 2 });
}

/**
 * Decodes a PNG into grayscale values in [0, 1] (colour is averaged with
 * the usual luma weights; alpha is composited on white).
 *
 * @param bytes - PNG file contents.
 */
export function decodeGrayPng(bytes: Uint8Array): { values: Float32Array; height: number; width: number } {
  const png = PNG.sync.read(Buffer.from(bytes));
  const values = new Float32Array(png.width * png.height);
  for (let i = 0; i < values.length; i++) {
    const [r, g, b, a] = [png.data[i * 4], png.data[i * 4 + 1], png.data[i * 4 + 2], png.data[i * 4 + 3] / 255];
    const luma = (0.299 * r + 0.587 * g + 0.114 * b) / 255;
    values[i] = luma * a + (1 - a);
  }
  return { values, height: png.height, width: png.width };
}
