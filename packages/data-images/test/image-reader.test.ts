import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { imagePreprocessingFor, preprocessors, range, type ImagePreprocessing } from '@aekit/core';
import { imageReader, loadImageFolder } from '../src/index.js';
import { classFolder, tempFolder, writePng } from './images.js';

/** A 9x5 RGBA PNG: its left column opaque red, the rest fully transparent. */
async function transparentPng(path: string): Promise<string> {
  const rgba = new Uint8Array(9 * 5 * 4);
  for (let y = 0; y < 5; y++) rgba.set([255, 0, 0, 255], y * 9 * 4);
  await sharp(Buffer.from(rgba), { raw: { width: 9, height: 5, channels: 4 } }).png().toFile(path);
  return path;
}

describe('the image reader of the preprocessing registry', () => {
  it('reads a transparent image of another size as training reads images: onto the background, stretched to the model size', async () => {
    const dir = await tempFolder();
    const file = await transparentPng(join(dir, 'clear.png'));
    const description: ImagePreprocessing = { ...imagePreprocessingFor([4, 6, 3])!, kernel: 'nearest' };
    const items = await preprocessors.read([file], description);
    expect(items.data.exampleShape).toEqual([4, 6, 3]);
    expect(items.ids).toEqual([file]);
    const values = items.data.batch([0]).dataSync();
    // Transparent pixels are the white background, not black.
    expect(Array.from(values.slice(-3))).toEqual([1, 1, 1]);
    expect(Array.from(values.slice(0, 3))).toEqual([1, 0, 0]);
    // On another background the same file reads otherwise; bytes in memory read as the file does.
    const black = await imageReader.prepare!([await readFile(file)], { ...description, background: '#000000' });
    expect(Array.from(black.slice(-3))).toEqual([0, 0, 0]);
    const same = await imageReader.prepare!([await readFile(file)], description);
    expect(Array.from(same)).toEqual(Array.from(values));
  });

  it('reads every image of a folder with its sub-folder as the label, named', async () => {
    const root = await classFolder(await tempFolder(), ['anomaly', 'normal'], 3, 8, 8);
    const items = await preprocessors.read([root], imagePreprocessingFor([8, 8, 3])!);
    expect(items.data.size).toBe(6);
    expect(items.classes).toEqual(['anomaly', 'normal']);
    expect(items.ids).toEqual(['anomaly/img-0.png', 'anomaly/img-1.png', 'anomaly/img-2.png', 'normal/img-0.png', 'normal/img-1.png', 'normal/img-2.png']);
    expect(Array.from(items.data.labels!(range(0, 6)))).toEqual([0, 0, 0, 1, 1, 1]);
    await items.close?.();
  });

  it('removes a decoded cache in the temporary folder when closed, and keeps one asked to be kept', async () => {
    const root = await tempFolder();
    for (let i = 0; i < 5; i++) await writePng(join(root, `${i}.png`), 8, 8, 1, i);
    const cacheDir = await tempFolder('aekit-cache-');
    const removed = await loadImageFolder(root, { memoryBytes: 0, cacheDir, removeCache: true });
    expect(existsSync(removed.cacheFile!)).toBe(true);
    await removed.close();
    expect(existsSync(removed.cacheFile!)).toBe(false);
    const kept = await loadImageFolder(root, { memoryBytes: 0, cacheDir });
    await kept.close();
    expect(existsSync(kept.cacheFile!)).toBe(true);
  });
});
