import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jpeg from 'jpeg-js';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, DataFileError, registry, useBackend, type CommandIO, runPluginCommand } from '@aekit/core';
import { OUTPUT_MARKER, saveAutoencoder } from '@aekit/core/node';
import { detectImageFormat, generateDocumentPair, readGrayImage, writeGrayImage } from '@aekit/data-documents';
import { denoiseCommand, listImages, makeDocumentsCommand, plugin, resolveModelDirectory } from '../src/index.js';

let root: string;
let runDir: string;
let inputs: string;
const lines: string[] = [];

const io: CommandIO = {
  log: (line) => lines.push(line),
  backend: 'wasm',
  figures: () => {
    throw new Error('not used');
  },
  progress: () => ({ update: () => {}, stop: () => {} }),
};

beforeAll(async () => {
  await useBackend('wasm');
  registry.use(plugin);
  root = await mkdtemp(join(tmpdir(), 'aekit-denoise-'));
  runDir = join(root, 'run');
  const denoiser = registry.create('doc-denoiser', { filters: [4, 4] }, { seed: 0, dataShape: [32, 32, 1] });
  await saveAutoencoder(denoiser, join(runDir, 'model'), [32, 32, 1]);
  denoiser.dispose();
  inputs = join(root, 'scans');
  await mkdir(inputs);
  const page = generateDocumentPair({ layout: { width: 150, height: 97 } }, 1).dirty;
  await writeGrayImage(join(inputs, 'a-page.png'), page);
  // A colour JPEG of another size, as a phone or scanner makes.
  const rgba = Buffer.alloc(61 * 45 * 4);
  for (let i = 0; i < 61 * 45; i++) rgba.set([230, 210, 160, 255], i * 4);
  await writeFile(join(inputs, 'b-photo.jpg'), jpeg.encode({ data: rgba, width: 61, height: 45 }, 90).data);
  await writeFile(join(inputs, 'notes.txt'), 'not an image, ignored');
});

describe('ae denoise', () => {
  it('cleans every image of a folder, keeping names, sizes and formats', async () => {
    const out = join(root, 'cleaned');
    await runPluginCommand(denoiseCommand, [runDir, inputs], { out, tile: '64', overlap: '16' }, io);
    expect((await readdir(out)).sort()).toEqual([OUTPUT_MARKER, 'a-page.png', 'b-photo.jpg']);
    const png = await readGrayImage(join(out, 'a-page.png'));
    expect([png.width, png.height]).toEqual([150, 97]);
    expect(detectImageFormat(await readFile(join(out, 'b-photo.jpg')))).toBe('jpeg');
    const jpg = await readGrayImage(join(out, 'b-photo.jpg'));
    expect([jpg.width, jpg.height]).toEqual([61, 45]);
    expect(lines.at(-1)).toBe(`wrote 2 cleaned images to ${out}`);
  });

  it('takes a single file and the model directory itself', async () => {
    const out = join(root, 'single');
    await runPluginCommand(denoiseCommand, [join(runDir, 'model'), join(inputs, 'a-page.png')], { out }, io);
    expect((await readdir(out)).sort()).toEqual([OUTPUT_MARKER, 'a-page.png']);
    expect(resolveModelDirectory(runDir)).toBe(join(runDir, 'model'));
    expect(resolveModelDirectory(join(runDir, 'model'))).toBe(join(runDir, 'model'));
  });

  it('cleans the readable files and then names the unreadable one', async () => {
    const mixed = join(root, 'mixed');
    await mkdir(mixed);
    await writeFile(join(mixed, 'broken.png'), 'these bytes are no PNG');
    await writeFile(join(mixed, 'empty.jpg'), '');
    await writeGrayImage(join(mixed, 'good.png'), { width: 20, height: 30, pixels: new Uint8Array(600).fill(200) });
    const out = join(root, 'mixed-out');
    const error = await runPluginCommand(denoiseCommand, [runDir, mixed], { out }, io).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataFileError);
    expect((error as DataFileError).message).toBe(`${join(mixed, 'broken.png')}: is not a PNG or JPEG image`);
    expect(lines).toContain(`skipped ${join(mixed, 'empty.jpg')}: is empty (0 bytes)`);
    expect((await readdir(out)).sort()).toEqual([OUTPUT_MARKER, 'good.png']);
  });

  it('refuses a missing --out, the input folder as --out, and a path without a model', async () => {
    await expect(runPluginCommand(denoiseCommand, [runDir, inputs], {}, io)).rejects.toThrow(/^--out: give a folder/);
    await expect(runPluginCommand(denoiseCommand, [runDir, inputs], { out: inputs }, io)).rejects.toThrow(ConfigError);
    await expect(runPluginCommand(denoiseCommand, [root, inputs], { out: join(root, 'x') }, io)).rejects.toThrow(`${root}: holds no model.json`);
    await expect(runPluginCommand(denoiseCommand, [runDir, inputs], { out: join(root, 'y'), tile: 'big' }, io)).rejects.toThrow(/^--tile: /);
    await expect(listImages(join(root, 'nowhere'))).rejects.toThrow(/nowhere: cannot be read \(ENOENT\)/);
    expect(existsSync(join(root, 'x'))).toBe(false);
  });
});

describe('ae make-documents', () => {
  it('writes generated pairs that read back as a paired folder', async () => {
    const dir = join(root, 'made');
    await runPluginCommand(makeDocumentsCommand, [dir], { pages: '2', seed: '3' }, io);
    expect(await readdir(join(dir, 'dirty'))).toEqual(['page-0000.png', 'page-0001.png']);
    expect(await readdir(join(dir, 'clean'))).toEqual(['page-0000.png', 'page-0001.png']);
    await expect(runPluginCommand(makeDocumentsCommand, [dir], { pages: '0' }, io)).rejects.toThrow(/^--pages: /);
  });
});
