import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DataFileError } from '@aekit/core';
import { generateDocumentPairs, readPairedFolder, writeGrayImage, writePairedFolder, type DocumentPair } from '../src/index.js';

let root: string;
let pairs: DocumentPair[];
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'aekit-pairs-'));
  pairs = generateDocumentPairs(3, { layout: { width: 96, height: 120 } }, 1);
});

async function folder(name: string, write = pairs): Promise<string> {
  const dir = join(root, name);
  await writePairedFolder(dir, write);
  return dir;
}

describe('paired folders', () => {
  it('reads back what was written, sorted by name', async () => {
    const read = await readPairedFolder(await folder('round-trip'));
    expect(read).toEqual(pairs);
  });

  it('pairs images by name even when their endings differ', async () => {
    const dir = await folder('endings', pairs.slice(0, 1));
    await rm(join(dir, 'dirty', 'page-0000.png'));
    await writeGrayImage(join(dir, 'dirty', 'page-0000.jpeg'), pairs[0].dirty);
    const [read] = await readPairedFolder(dir);
    expect(read.name).toBe('page-0000');
    expect(read.clean).toEqual(pairs[0].clean);
  });

  it('lists the images that have no partner, by file name', async () => {
    const dir = await folder('unpaired');
    await rm(join(dir, 'clean', 'page-0001.png'));
    await writeGrayImage(join(dir, 'clean', 'extra.png'), pairs[0].clean);
    const error = await readPairedFolder(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataFileError);
    expect((error as DataFileError).message).toBe(
      `${dir}: dirty/ and clean/ do not pair up: no clean image for page-0001.png; no dirty image for extra.png`,
    );
  });

  it('names the dirty file whose size differs from its clean partner', async () => {
    const dir = await folder('sizes');
    const small = { width: 10, height: 12, pixels: new Uint8Array(120).fill(255) };
    await writeGrayImage(join(dir, 'clean', 'page-0002.png'), small);
    await expect(readPairedFolder(dir)).rejects.toThrow(
      `${join(dir, 'dirty', 'page-0002.png')}: is 96x120 but its clean partner ${join(dir, 'clean', 'page-0002.png')} is 10x12`,
    );
  });

  it('names an unreadable image, a missing subfolder and an empty folder', async () => {
    const dir = await folder('broken');
    await writeFile(join(dir, 'dirty', 'page-0001.png'), 'not an image');
    await expect(readPairedFolder(dir)).rejects.toThrow(`${join(dir, 'dirty', 'page-0001.png')}: is not a PNG or JPEG image`);
    const lonely = join(root, 'lonely');
    await mkdir(join(lonely, 'dirty'), { recursive: true });
    await expect(readPairedFolder(lonely)).rejects.toThrow(new RegExp(`^${join(lonely, 'clean')}: cannot be read as a folder \\(ENOENT\\)`));
    await mkdir(join(lonely, 'clean'));
    await expect(readPairedFolder(lonely)).rejects.toThrow(`${lonely}: has no PNG or JPEG images in dirty/ and clean/`);
  });
});
