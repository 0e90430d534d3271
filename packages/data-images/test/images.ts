import { mkdir, writeFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import sharp from 'sharp';

/** A fresh temporary folder for one test. */
export function tempFolder(prefix = 'aekit-images-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

/** Pixels of a test picture: a seeded gradient that differs per image, so order mix-ups show. */
export function pixels(width: number, height: number, channels: 1 | 3, seed: number): Uint8Array {
  const out = new Uint8Array(width * height * channels);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++)
      for (let c = 0; c < channels; c++) out[(y * width + x) * channels + c] = (seed * 37 + x * 11 + y * 7 + c * 80) % 256;
  return out;
}

/** Writes a PNG (lossless, so decoded pixels equal {@link pixels}) and returns its path. */
export async function writePng(path: string, width: number, height: number, channels: 1 | 3, seed: number): Promise<string> {
  await mkdir(dirname(path), { recursive: true });
  const image = sharp(Buffer.from(pixels(width, height, channels, seed)), { raw: { width, height, channels } });
  await (channels === 1 ? image.toColourspace('b-w') : image).png().toFile(path);
  return path;
}

/** Writes a JPEG of a test picture and returns its path. */
export async function writeJpeg(path: string, width: number, height: number, seed: number): Promise<string> {
  await mkdir(dirname(path), { recursive: true });
  await sharp(Buffer.from(pixels(width, height, 3, seed)), { raw: { width, height, channels: 3 } }).jpeg({ quality: 95 }).toFile(path);
  return path;
}

/** Writes the first `keep` share of a valid image file: a truncated download. */
export async function writeTruncated(path: string, source: Buffer, keep = 0.5): Promise<string> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, source.subarray(0, Math.floor(source.length * keep)));
  return path;
}

/** A folder of `perClass` colour PNGs in each of the given class folders. */
export async function classFolder(root: string, classes: string[], perClass: number, width: number, height: number, channels: 1 | 3 = 3): Promise<string> {
  let seed = 0;
  for (const name of classes) {
    for (let i = 0; i < perClass; i++) await writePng(join(root, name, `img-${i}.png`), width, height, channels, seed++);
  }
  return root;
}
