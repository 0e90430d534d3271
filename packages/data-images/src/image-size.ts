import { ConfigError } from '@aekit/core';

/** Width and height of the pictures a folder is resized to. */
export interface ImageSize {
  width: number;
  height: number;
}

/**
 * Parses `--image-size`: `WIDTHxHEIGHT` as image tools write it (`64x64`,
 * `32x24`), or a single number for a square.
 *
 * @param value - The option's text.
 * @throws ConfigError naming `image-size` for anything else.
 */
export function parseImageSize(value: string): ImageSize {
  const match = /^\s*(\d+)\s*(?:[x×]\s*(\d+))?\s*$/i.exec(value);
  const width = match ? Number(match[1]) : NaN;
  const height = match ? Number(match[2] ?? match[1]) : NaN;
  if (!(Number.isSafeInteger(width) && Number.isSafeInteger(height) && width > 0 && height > 0 && width <= 4096 && height <= 4096)) {
    throw new ConfigError('image-size', `expected WIDTHxHEIGHT such as 64x64 (each 1 to 4096), got '${value}'`);
  }
  return { width, height };
}
