import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DataFileError } from '@aekit/core';
import { decodeGrayImage, detectImageFormat, encodeGrayImage, readGrayImage, writeGrayImage, type GrayImage } from '../src/index.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'aekit-images-'));
});

const gradient: GrayImage = { width: 7, height: 5, pixels: Uint8Array.from({ length: 35 }, (_, i) => (i * 7) % 256) };

describe('grayscale image files', () => {
  it('writes and reads PNG exactly, and JPEG closely, choosing the format by the name', async () => {
    await writeGrayImage(join(dir, 'page.png'), gradient);
    await writeGrayImage(join(dir, 'page.JPG'), gradient);
    const png = await readGrayImage(join(dir, 'page.png'));
    expect(png).toEqual(gradient);
    const jpg = await readGrayImage(join(dir, 'page.JPG'));
    expect(detectImageFormat(await readFile(join(dir, 'page.JPG')))).toBe('jpeg');
    expect([jpg.width, jpg.height]).toEqual([7, 5]);
    const worst = Math.max(...jpg.pixels.map((v, i) => Math.abs(v - gradient.pixels[i])));
    expect(worst).toBeLessThan(40);
  });

  it('turns colour into luma and lays transparency on white', () => {
    const png = new PNG({ width: 3, height: 1 });
    png.data = Buffer.from([255, 0, 0, 255, 0, 0, 255, 255, 0, 0, 0, 0]);
    const image = decodeGrayImage(PNG.sync.write(png), 'colour.png');
    expect(Array.from(image.pixels)).toEqual([76, 29, 255]);
    const rgb = jpeg.encode({ data: Buffer.alloc(4 * 16 * 16, 200), width: 16, height: 16 }, 95).data;
    expect(Math.abs(decodeGrayImage(rgb, 'grey.jpg').pixels[0] - 200)).toBeLessThan(3);
  });

  it('names the file when it is empty, not an image, corrupt or has no pixels', async () => {
    const empty = join(dir, 'empty.png');
    await writeFile(empty, Buffer.alloc(0));
    await expect(readGrayImage(empty)).rejects.toThrow(DataFileError);
    await expect(readGrayImage(empty)).rejects.toThrow(`${empty}: is empty (0 bytes)`);
    expect(() => decodeGrayImage(Buffer.from('hello, not a picture'), 'notes.png')).toThrow(/^notes\.png: is not a PNG or JPEG image$/);
    const truncated = encodeGrayImage(gradient, 'png').subarray(0, 40);
    expect(() => decodeGrayImage(truncated, 'cut.png')).toThrow(/^cut\.png: cannot be decoded as PNG/);
    // A PNG header that declares a 0x0 image.
    const zero = Buffer.from(encodeGrayImage(gradient, 'png'));
    zero.writeUInt32BE(0, 16);
    zero.writeUInt32BE(0, 20);
    expect(() => decodeGrayImage(zero, 'zero.png')).toThrow(/^zero\.png: /);
    await expect(readGrayImage(join(dir, 'missing.png'))).rejects.toThrow(/missing\.png: cannot be read \(ENOENT\)/);
  });
});
