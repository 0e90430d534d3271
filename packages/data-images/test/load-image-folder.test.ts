import { readFile, writeFile, mkdir, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DataFileError, ConfigError, range, useBackend } from '@aekit/core';
import { listImageFiles, loadImageFolder, parseImageSize } from '../src/index.js';
import { classFolder, pixels, tempFolder, writeJpeg, writePng, writeTruncated } from './images.js';

beforeAll(async () => {
  await useBackend('cpu');
});

describe('listImageFiles', () => {
  it('finds PNG and JPEG files recursively, labelled by their top-level folder', async () => {
    const root = await tempFolder();
    await writePng(join(root, 'cats', 'a.png'), 4, 4, 3, 1);
    await writeJpeg(join(root, 'cats', 'deep', 'nested', 'b.JPG'), 4, 4, 2);
    await writePng(join(root, 'dogs', 'c.png'), 4, 4, 3, 3);
    await writeFile(join(root, 'dogs', 'notes.txt'), 'not an image');
    await symlink(join(root, 'cats', 'a.png'), join(root, 'dogs', 'linked.png'));
    const { files, classes } = await listImageFiles(root);
    expect(classes).toEqual(['cats', 'dogs']);
    expect(files.map((f) => [f.path.slice(root.length + 1), f.label])).toEqual([
      ['cats/a.png', 0],
      ['cats/deep/nested/b.JPG', 0],
      ['dogs/c.png', 1],
      ['dogs/linked.png', 1],
    ]);
  });

  it('refuses an empty folder, naming it', async () => {
    const root = await tempFolder();
    await mkdir(join(root, 'empty-class'));
    await expect(listImageFiles(root)).rejects.toThrow(new DataFileError(root, 'holds no image files (.png, .jpg, .jpeg), also in its sub-folders'));
  });
});

describe('loadImageFolder', () => {
  it('reads colour PNGs of an odd size exactly, with labels, as [h, w, 3] in [0, 1]', async () => {
    const root = await classFolder(await tempFolder(), ['a', 'b', 'c'], 4, 20, 24);
    const data = await loadImageFolder(root, { testSplit: 0.25, seed: 1 });
    expect(data.imageShape).toEqual([24, 20, 3]);
    expect(data.classes).toEqual(['a', 'b', 'c']);
    expect(data.train.size + data.test.size).toBe(12);
    expect(data.test.size).toBe(3);
    const all = [...data.train.slots, ...data.test.slots].sort((x, y) => x - y);
    expect(all).toEqual([...range(0, 12)]);
    const x = data.train.batch([0]);
    expect(x.shape).toEqual([1, 24, 20, 3]);
    const slot = data.train.slots[0];
    const expected = Array.from(pixels(20, 24, 3, slot), (v) => v / 255);
    expect(Array.from(x.dataSync())).toEqual(expected.map((v) => Math.fround(v)));
    x.dispose();
    expect(Array.from(data.train.labels!(range(0, data.train.size)))).toEqual(Array.from(data.train.slots, (s) => Math.floor(s / 4)));
  });

  it('reads grey images as one channel, and converts with --channels', async () => {
    const root = await tempFolder();
    for (let i = 0; i < 3; i++) await writePng(join(root, `g${i}.png`), 7, 5, 1, i);
    const grey = await loadImageFolder(root, { testSplit: 0 });
    expect(grey.imageShape).toEqual([5, 7, 1]);
    expect(grey.classes).toEqual([]);
    // A flat folder has no labels at all, so code-space pictures leave the colours out rather than fail.
    expect(grey.train.labels).toBeUndefined();
    expect(grey.train.subset([0, 1]).labels).toBeUndefined();
    const asColour = await loadImageFolder(root, { testSplit: 0, channels: 3 });
    expect(asColour.imageShape).toEqual([5, 7, 3]);
    const v = asColour.train.batch([0]).dataSync();
    expect(v[0]).toBe(v[1]);
    expect(v[1]).toBe(v[2]);
  });

  it('converts colour to grey with channels 1', async () => {
    const root = await classFolder(await tempFolder(), ['x'], 2, 6, 6);
    const data = await loadImageFolder(root, { testSplit: 0, channels: 1 });
    expect(data.imageShape).toEqual([6, 6, 1]);
  });

  it('refuses mixed sizes without a size, naming the file and what to pass', async () => {
    const root = await tempFolder();
    await writePng(join(root, 'a.png'), 8, 8, 3, 0);
    await writePng(join(root, 'b.png'), 9, 8, 3, 1);
    await expect(loadImageFolder(root)).rejects.toThrow(`${join(root, 'b.png')}: is 9x8 but ${join(root, 'a.png')} is 8x8; pass --image-size WIDTHxHEIGHT to resize them all`);
  });

  it('resizes mixed sizes, PNG and JPEG alike, with a size', async () => {
    const root = await tempFolder();
    await writePng(join(root, 'a.png'), 8, 8, 3, 0);
    await writePng(join(root, 'b.png'), 33, 17, 1, 1);
    await writeJpeg(join(root, 'c.jpeg'), 40, 30, 2);
    const data = await loadImageFolder(root, { size: parseImageSize('12x10'), testSplit: 0 });
    expect(data.imageShape).toEqual([10, 12, 3]);
    expect(data.train.size).toBe(3);
    // A constant image stays constant through resizing: a check that values are not scrambled.
    const flat = await tempFolder();
    await writePng(join(flat, 'f.png'), 9, 9, 1, 0);
    const one = await loadImageFolder(flat, { size: { width: 3, height: 3 }, testSplit: 0 });
    expect(one.train.batch([0]).shape).toEqual([1, 3, 3, 1]);
  });

  it('names a truncated PNG, a truncated JPEG and a non-image; skipBad skips and counts them', async () => {
    const root = await classFolder(await tempFolder(), ['ok'], 3, 10, 10);
    const png = await readFile(join(root, 'ok', 'img-0.png'));
    const badPng = await writeTruncated(join(root, 'ok', 'cut.png'), png);
    const jpeg = await readFile(await writeJpeg(join(root, 'empty', 'x.jpg'), 10, 10, 5));
    await writeFile(join(root, 'empty', 'x.jpg'), '');
    const badJpeg = await writeTruncated(join(root, 'ok', 'cut.jpg'), jpeg, 0.7);
    const junk = join(root, 'ok', 'junk.png');
    await writeFile(junk, 'plain text');
    await expect(loadImageFolder(root, { testSplit: 0 })).rejects.toThrow(DataFileError);
    await expect(loadImageFolder(root, { testSplit: 0 })).rejects.toThrow(/empty\/x\.jpg: not a readable PNG or JPEG image \(/);
    const data = await loadImageFolder(root, { testSplit: 0, skipBad: true, size: { width: 10, height: 10 } });
    expect(data.skipped.map((s) => s.file).sort()).toEqual([badJpeg, badPng, junk, join(root, 'empty', 'x.jpg')].sort());
    expect(data.train.size).toBe(3);
  });

  it('applies limits after a seeded split', async () => {
    const root = await classFolder(await tempFolder(), ['a'], 10, 4, 4);
    const a = await loadImageFolder(root, { seed: 3, testSplit: 0.2, trainLimit: 5, testLimit: 1 });
    const b = await loadImageFolder(root, { seed: 3, testSplit: 0.2 });
    expect(a.train.size).toBe(5);
    expect(a.test.size).toBe(1);
    expect(Array.from(a.test.slots)).toEqual(Array.from(b.test.slots).slice(0, 1));
    await expect(loadImageFolder(root, { channels: 2 as 1 })).rejects.toThrow(ConfigError);
  });

  it('parses image sizes and refuses bad ones', () => {
    expect(parseImageSize('64x48')).toEqual({ width: 64, height: 48 });
    expect(parseImageSize('32')).toEqual({ width: 32, height: 32 });
    expect(() => parseImageSize('64by64')).toThrow("image-size: expected WIDTHxHEIGHT such as 64x64 (each 1 to 4096), got '64by64'");
  });
});
