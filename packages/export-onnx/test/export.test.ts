import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, registry, useBackend, type Autoencoder, type CommandIO, runPluginCommand } from '@aekit/core';
import { loadAutoencoder, saveAutoencoder } from '@aekit/core/node';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// Importing the data packages registers their readers of raw images and idx files (as the ae command does on first use).
import '@aekit/data-images';
import '@aekit/data-mnist';
import {
  encodePng,
  exportAutoencoder,
  exportCommand,
  exportRun,
  inferCommand,
  inferFiles,
  MODEL_PARTS,
  OnnxModel,
  partModel,
  plugin,
} from '../src/index.js';
import { testConvFamily, testDenseFamily, testVaeFamily } from './fixtures/families.js';
import { maxAbsDiff, randomInputs, tfjsOutputs } from './helpers.js';

const DATA_SHAPE = [8, 8, 1];
let dir: string;

function create(family: string): Autoencoder {
  return registry.create(family, {}, { seed: 3, dataShape: DATA_SHAPE });
}

function fakeIO(lines: string[]): CommandIO {
  return {
    log: (line) => lines.push(line),
    backend: 'wasm',
    figures: () => {
      throw new Error('no figures in tests');
    },
    progress: () => ({ update() {}, stop() {} }),
  };
}

/** An idx file of unsigned bytes (the MNIST format) with the given items. */
function idxBytes(items: Uint8Array[], dims: number[]): Uint8Array {
  const header = new DataView(new ArrayBuffer(4 + 4 * (dims.length + 1)));
  header.setUint8(2, 0x08);
  header.setUint8(3, dims.length + 1);
  header.setUint32(4, items.length);
  dims.forEach((d, i) => header.setUint32(8 + 4 * i, d));
  return new Uint8Array(Buffer.concat([new Uint8Array(header.buffer), ...items]));
}

beforeAll(async () => {
  await useBackend('wasm');
  for (const family of [testDenseFamily, testConvFamily, testVaeFamily]) registry.register(family);
  dir = await mkdtemp(join(tmpdir(), 'aekit-onnx-export-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('exportAutoencoder', () => {
  for (const family of ['onnx-test-dense', 'onnx-test-conv', 'onnx-test-vae']) {
    for (const part of MODEL_PARTS) {
      it(`${family} ${part}: same outputs as tfjs within 1e-4, named, with metadata`, async () => {
        const autoencoder = create(family);
        const tfModel = partModel(autoencoder, part);
        const onnx = await OnnxModel.load(exportAutoencoder(autoencoder, { part, dataShape: DATA_SHAPE }));
        try {
          const inputs = randomInputs(tfModel, 4, 7);
          const ours = await onnx.run(inputs[0].data, 4);
          const theirs = tfjsOutputs(tfModel, inputs);
          const vae = family === 'onnx-test-vae';
          const names = { full: vae ? ['reconstruction', 'mean', 'logVar'] : ['reconstruction'], encoder: vae ? ['mean', 'logVar'] : ['code'], decoder: ['reconstruction'] };
          expect(onnx.outputs.map((o) => o.name)).toEqual(names[part]);
          expect(onnx.input.name).toBe(part === 'decoder' ? 'code' : 'input');
          onnx.outputs.forEach(({ name }, i) => expect(maxAbsDiff(ours[name].data, theirs[i].data)).toBeLessThan(1e-4));
          expect(onnx.metadata).toMatchObject({ part, family, config: { ...autoencoder.config }, inputShape: [...autoencoder.inputShape], dataShape: DATA_SHAPE });
          expect(onnx.metadataProps['aekit.format']).toBe('aekit-onnx');
        } finally {
          await onnx.close();
          autoencoder.dispose();
        }
      });
    }
  }
});

describe('ae export', () => {
  let runDir: string;
  beforeAll(async () => {
    runDir = join(dir, 'run-conv');
    const autoencoder = create('onnx-test-conv');
    await saveAutoencoder(autoencoder, join(runDir, 'model'), DATA_SHAPE);
    autoencoder.dispose();
  });

  it('writes the full model by default beside the run, checked against tfjs', async () => {
    const lines: string[] = [];
    const files = await exportRun(runDir, { log: (l) => lines.push(l) });
    expect(files.map((f) => [f.part, f.path])).toEqual([['full', join(runDir, 'model.onnx')]]);
    expect(files[0].maxAbsDiff).toBeLessThan(1e-4);
    expect(lines[0]).toMatch(/^full: .*model\.onnx \(\d+\.\d KiB, max \|onnx - tfjs\| = /);
  });

  it('--part all writes model.onnx, model.encoder.onnx and model.decoder.onnx', async () => {
    const out = join(dir, 'exported', 'conv.onnx');
    await mkdir(join(dir, 'exported'), { recursive: true });
    const lines: string[] = [];
    await runPluginCommand(exportCommand, [runDir], { part: 'all', out, tolerance: '1e-4' }, fakeIO(lines));
    expect((await readdir(join(dir, 'exported'))).sort()).toEqual(['conv.decoder.onnx', 'conv.encoder.onnx', 'conv.onnx']);
    for (const part of MODEL_PARTS) {
      const model = await OnnxModel.load(join(dir, 'exported', part === 'full' ? 'conv.onnx' : `conv.${part}.onnx`));
      expect(model.part).toBe(part);
      expect(model.name).toBe('conv');
      await model.close();
    }
    expect(lines.at(-1)).toBe('exported 3 ONNX files from run-conv');
  });

  it('exports a single part to the file given, from the model directory itself', async () => {
    const out = join(dir, 'encoder-only.onnx');
    const files = await exportRun(join(runDir, 'model'), { part: 'encoder', out });
    expect(files.map((f) => f.path)).toEqual([out]);
    const model = await OnnxModel.load(out);
    expect(model.outputs.map((o) => [o.name, o.shape])).toEqual([['code', [null, 2, 2, 2]]]);
    await model.close();
  });

  it('writes nothing when the ONNX model is outside the tolerance', async () => {
    const out = join(dir, 'never.onnx');
    await expect(exportRun(runDir, { out, tolerance: -1 })).rejects.toThrow(/differs from tfjs by .* not written/);
    await expect(readFile(out)).rejects.toThrow(/ENOENT/);
  });

  it('never writes over a FIFO, a symlink or a folder given as --out: one line, and the path left as it was', async () => {
    const { execFileSync } = await import('node:child_process');
    const { lstat, symlink } = await import('node:fs/promises');
    const targets = join(dir, 'targets');
    await mkdir(targets);
    await writeFile(join(targets, 'precious.txt'), 'keep me');
    execFileSync('mkfifo', [join(targets, 'fifo')]);
    await symlink(join(targets, 'precious.txt'), join(targets, 'link'));
    await mkdir(join(targets, 'folder'));
    for (const name of ['fifo', 'link', 'folder']) {
      const path = join(targets, name);
      const before = await lstat(path);
      await expect(exportRun(runDir, { out: path })).rejects.toThrow(`${path}: is a`);
      expect((await lstat(path)).ino).toBe(before.ino);
    }
    expect(await readFile(join(targets, 'precious.txt'), 'utf8')).toBe('keep me');
    // A Triton repository goes into a new, empty or repository folder only.
    await writeFile(join(targets, 'folder', 'notes.txt'), 'mine');
    await expect(runPluginCommand(exportCommand, [runDir], { format: 'triton', out: join(targets, 'folder') }, fakeIO([]))).rejects.toThrow(/is a folder aekit did not write/);
    expect(await readdir(join(targets, 'folder'))).toEqual(['notes.txt']);
  });

  it('answers bad arguments with one-line errors', async () => {
    await expect(runPluginCommand(exportCommand, [runDir], { part: 'middle' }, fakeIO([]))).rejects.toThrow(ConfigError);
    await expect(runPluginCommand(exportCommand, [join(dir, 'nowhere')], {}, fakeIO([]))).rejects.toThrow(/holds no saved model/);
  });
});

describe('ae infer', () => {
  let models: string;
  let pngs: string[];
  let denseFiles: { full: string; encoder: string; decoder: string };

  beforeAll(async () => {
    models = join(dir, 'infer');
    await mkdir(models, { recursive: true });
    const autoencoder = create('onnx-test-dense');
    await saveAutoencoder(autoencoder, join(models, 'model'), DATA_SHAPE);
    autoencoder.dispose();
    await exportRun(models, { part: 'all', out: join(models, 'dense.onnx') });
    denseFiles = { full: join(models, 'dense.onnx'), encoder: join(models, 'dense.encoder.onnx'), decoder: join(models, 'dense.decoder.onnx') };
    pngs = [];
    for (const [i, value] of [0.2, 0.8].entries()) {
      const file = join(models, `digit-${i}.png`);
      const pixels = Float32Array.from({ length: 64 }, (_, p) => (p % 3 === 0 ? value : 0));
      await writeFile(file, encodePng(pixels, { height: 8, width: 8, channels: 1 }));
      pngs.push(file);
    }
  });

  it('reconstructs PNG images: writes PNGs and reports the reconstruction error of each', async () => {
    const lines: string[] = [];
    const out = join(models, 'reconstructions');
    const result = await inferFiles(denseFiles.full, pngs, { out, log: (l) => lines.push(l) });
    expect(result.kind).toBe('images');
    expect(result.files.map((f) => f.slice(out.length + 1))).toEqual(['digit-0.png', 'digit-1.png']);
    const png = PNG.sync.read(await readFile(result.files[0]));
    expect([png.width, png.height]).toEqual([8, 8]);
    expect(result.scores).toHaveLength(2);
    expect(lines[0]).toMatch(/^digit-0 {2}reconstruction error \(mse\) \d\.\d{6}$/);
    expect(lines).toContain(`wrote ${result.files[1]}`);
  });

  it('reads an idx file, and the outputs match tfjs on the same bytes', async () => {
    const items = [new Uint8Array(64).fill(255), Uint8Array.from({ length: 64 }, (_, i) => i * 4)];
    const file = join(models, 'images-idx3-ubyte');
    await writeFile(file, idxBytes(items, [8, 8]));
    const result = await inferFiles(denseFiles.full, [file], { limit: 5 });
    expect(result.sources).toEqual(['images-idx3-ubyte[0]', 'images-idx3-ubyte[1]']);
    const saved = await loadAutoencoder(join(models, 'model'));
    const input = Float32Array.from(Buffer.concat(items), (b) => b / 255);
    const expected = tfjsOutputs(saved.model, [{ data: input, shape: [2, 64] }])[0].data;
    expect(maxAbsDiff(result.outputs.reconstruction.data, expected)).toBeLessThan(1e-4);
    saved.dispose();
  });

  it('encodes to JSON codes, and a decoder turns that JSON back into pictures', async () => {
    const codes = join(models, 'codes.json');
    const encoded = await inferFiles(denseFiles.encoder, pngs, { out: codes });
    expect(encoded.kind).toBe('codes');
    const json = JSON.parse(await readFile(codes, 'utf8'));
    expect(json.sources).toEqual(['digit-0', 'digit-1']);
    expect(json.outputs.code).toHaveLength(2);
    expect(json.outputs.code[0]).toHaveLength(4);
    const decoded = await inferFiles(denseFiles.decoder, [codes], { out: join(models, 'decoded') });
    expect(decoded.kind).toBe('images');
    expect(decoded.files.map((f) => f.split('/').pop())).toEqual(['digit-0.png', 'digit-1.png']);
    // Decoding the codes gives what the full model reconstructs.
    const full = await inferFiles(denseFiles.full, pngs, {});
    expect(maxAbsDiff(decoded.outputs.reconstruction.data, full.outputs.reconstruction.data)).toBeLessThan(1e-5);
  });

  it('prints codes without --out, through the command', async () => {
    const lines: string[] = [];
    await runPluginCommand(inferCommand, [denseFiles.encoder, ...pngs], {}, fakeIO(lines));
    expect(JSON.parse(lines[0]).outputs.code).toHaveLength(2);
  });

  it('brings an image of another size to the model\'s as training does, and names a file that is no image', async () => {
    const big = join(models, 'big.png');
    await writeFile(big, encodePng(new Float32Array(100), { height: 10, width: 10, channels: 1 }));
    expect((await inferFiles(denseFiles.full, [big])).scores).toHaveLength(1);
    const broken = join(models, 'broken.png');
    await writeFile(broken, 'not a picture');
    await expect(inferFiles(denseFiles.full, [broken])).rejects.toThrow(`${broken}: not a readable PNG or JPEG image`);
    await expect(inferFiles(denseFiles.full, pngs, { out: models })).rejects.toThrow(/would overwrite an input/);
    await expect(inferFiles(join(models, 'missing.onnx'), pngs)).rejects.toThrow(/missing\.onnx: no such file/);
  });
});

describe('plugin', () => {
  it('adds export and infer and no families', () => {
    expect(plugin.families).toEqual([]);
    expect(plugin.commands?.map((c) => c.name)).toEqual(['export', 'infer']);
  });

  it('is marked as an aekit plugin in package.json', async () => {
    const manifest = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'));
    expect(manifest.keywords).toContain('aekit-plugin');
  });
});
