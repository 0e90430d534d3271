import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { DataFileError } from '@aekit/core';
import { writeFileAtomic } from '@aekit/core/node';
import type { GrayImage } from './gray-image.js';

/** Image file formats read and written: PNG (lossless) and JPEG. */
export type ImageFormat = 'png' | 'jpeg';

/** File name endings of the images read from folders, lower case. */
export const IMAGE_EXTENSIONS: readonly string[] = ['.png', '.jpg', '.jpeg'];

/**
 * True when a file name ends in `.png`, `.jpg` or `.jpeg` (any case).
 *
 * @param name - A file name or path.
 */
export function isImageFileName(name: string): boolean {
  return IMAGE_EXTENSIONS.includes(extname(name).toLowerCase());
}

/**
 * The format of image bytes by their signature, or undefined when they are neither PNG nor JPEG.
 *
 * @param bytes - The start of the file, at least its first eight bytes.
 */
export function detectImageFormat(bytes: Uint8Array): ImageFormat | undefined {
  if (bytes.length >= 8 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return 'png';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  return undefined;
}

/**
 * The format a file name asks for by its ending (`.jpg`/`.jpeg` → JPEG, anything else → PNG).
 *
 * @param name - A file name or path.
 */
export function formatOfFileName(name: string): ImageFormat {
  return ['.jpg', '.jpeg'].includes(extname(name).toLowerCase()) ? 'jpeg' : 'png';
}

/**
 * Decodes PNG or JPEG bytes (told apart by their signature, not the file
 * name) into an 8-bit grayscale image: colour becomes luma
 * (0.299 R + 0.587 G + 0.114 B) and transparency is laid on white paper.
 *
 * @param bytes - File contents.
 * @param file - The file's name, for error messages.
 * @throws DataFileError naming the file when it is empty, not an image, corrupt or has no pixels.
 */
export function decodeGrayImage(bytes: Uint8Array, file: string): GrayImage {
  if (bytes.length === 0) throw new DataFileError(file, 'is empty (0 bytes)');
  const format = detectImageFormat(bytes);
  if (!format) throw new DataFileError(file, 'is not a PNG or JPEG image');
  let rgba: { width: number; height: number; data: Uint8Array };
  try {
    rgba =
      format === 'png'
        ? PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length))
        : jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true });
  } catch (error) {
    throw new DataFileError(file, `cannot be decoded as ${format.toUpperCase()} (${(error as Error).message})`);
  }
  const { width, height, data } = rgba;
  if (!(width > 0 && height > 0)) throw new DataFileError(file, `has no pixels (${width}x${height})`);
  if (data.length < width * height * 4) throw new DataFileError(file, `is truncated: ${width}x${height} pixels declared`);
  const pixels = new Uint8Array(width * height);
  for (let i = 0; i < pixels.length; i++) {
    const alpha = data[i * 4 + 3] / 255;
    const luma = 0.299 * data[i * 4] + 0.587 * data[i * 4 + 1] + 0.114 * data[i * 4 + 2];
    pixels[i] = Math.round(luma * alpha + 255 * (1 - alpha));
  }
  return { width, height, pixels };
}

/**
 * Reads a PNG or JPEG file as an 8-bit grayscale image.
 *
 * @throws DataFileError naming the file when it cannot be read or decoded.
 * @param file - Path of a PNG or JPEG file.
 */
export async function readGrayImage(file: string): Promise<GrayImage> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (error) {
    throw new DataFileError(file, `cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  return decodeGrayImage(bytes, file);
}

/**
 * Encodes a grayscale image as PNG (8-bit gray, with pngjs) or JPEG (with jpeg-js).
 *
 * @param image - The image.
 * @param format - `png` or `jpeg`.
 * @param quality - JPEG quality, 1 to 100; 92 by default.
 */
export function encodeGrayImage(image: GrayImage, format: ImageFormat, quality = 92): Buffer {
  const rgba = Buffer.alloc(image.width * image.height * 4);
  for (let i = 0; i < image.pixels.length; i++) {
    rgba[i * 4] = rgba[i * 4 + 1] = rgba[i * 4 + 2] = image.pixels[i];
    rgba[i * 4 + 3] = 255;
  }
  if (format === 'jpeg') return jpeg.encode({ data: rgba, width: image.width, height: image.height }, quality).data;
  const png = new PNG({ width: image.width, height: image.height, colorType: 0, inputColorType: 6, bitDepth: 8 });
  png.data = rgba;
  return PNG.sync.write(png, { colorType: 0 });
}

/**
 * Writes a grayscale image atomically, as JPEG when the name ends in
 * `.jpg`/`.jpeg` and as PNG otherwise.
 *
 * @param file - Target file.
 * @param image - The image.
 */
export async function writeGrayImage(file: string, image: GrayImage): Promise<void> {
  await writeFileAtomic(file, encodeGrayImage(image, formatOfFileName(file)));
}
