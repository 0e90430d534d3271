import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { readModelMetadata } from '@aekit/core/node';
import { inferFiles } from '@aekit/export-onnx';
import { createServer, loadServedModels } from '@aekit/serve';
import { aeWithPlugins } from './run-ae.js';

// The ae command registers the data packages as lazily imported readers; these imports do the same for the test's own calls.
import '@aekit/data-images';
import '@aekit/data-tables';

const mlp = fileURLToPath(new URL('./fixtures/table-plugin', import.meta.url));
const exportOnnx = dirname(createRequire(import.meta.url).resolve('@aekit/export-onnx/package.json'));
const ae = aeWithPlugins(mlp, exportOnnx);

/** A transparent RGBA PNG: a coloured disc on a clear background, of any size. */
function disc(width: number, height: number, colour: [number, number, number], seed: number): Buffer {
  const png = new PNG({ width, height });
  const [cx, cy, r] = [width / 2 + (seed % 3) - 1, height / 2 + ((seed >> 1) % 3) - 1, Math.min(width, height) / 3];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      const inside = (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
      png.data.set(inside ? [...colour, 255] : [0, 0, 0, 0], i);
    }
  }
  return PNG.sync.write(png);
}

/** The score of each item in a scores.csv, by id. */
async function scoresCsv(file: string): Promise<Map<string, number>> {
  const lines = (await readFile(file, 'utf8')).trim().split('\n').slice(1);
  return new Map(lines.map((line) => [line.split(',')[0], Number(line.split(',')[1])]));
}

/** Scores of raw items through `ae serve`'s score route: the server prepares them with the model's saved preprocessing. */
async function servedScores(onnx: string, items: (Uint8Array | Record<string, unknown>)[]): Promise<number[]> {
  const served = await loadServedModels([onnx]);
  const app = await createServer({ models: served });
  try {
    // Image files travel as base64 of their bytes, table rows as objects of column values.
    const raw = items.map((item) => (item instanceof Uint8Array ? Buffer.from(item).toString('base64') : item));
    const response = await app.inject({ method: 'POST', url: '/v1/models/model/score', payload: { items: raw } });
    expect(response.statusCode, response.body).toBe(200);
    return (response.json() as { scores: number[] }).scores;
  } finally {
    await app.close();
    await Promise.all(served.map((m) => m.close()));
  }
}

const close = (a: number, b: number) => Math.abs(a - b) <= 1e-5 * Math.max(1, Math.abs(b));

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'aekit-one-preprocessing-'));
});

describe('one preprocessing, every path', () => {
  it('scores a transparent PNG of another size the same through ae score (folder and file), ae infer and ae serve', async () => {
    const train = join(dir, 'discs');
    await mkdir(train);
    for (let i = 0; i < 24; i++) await writeFile(join(train, `${i}.png`), disc(12, 12, i % 2 ? [200, 40, 40] : [40, 40, 200], i));
    const run = join(dir, 'disc-run');
    const trained = await ae('train', 'mlp', '--data', train, '--image-size', '8x8', '--channels', '3', '--epochs', '3', '--batch-size', '8', '--backend', 'wasm', '--out', run);
    expect(trained.err).toBe('');
    const { preprocessing } = await readModelMetadata(join(run, 'model'));
    expect(preprocessing).toEqual({ kind: 'image', version: 1, width: 8, height: 8, channels: 3, background: '#ffffff', fit: 'fill', kernel: 'lanczos3' });

    // Another size and shape than training's, mostly transparent: read as training read its images (flattened onto white, stretched to 8x8).
    const probes = join(dir, 'probes');
    await mkdir(probes);
    const probe = join(probes, 'wide.png');
    await writeFile(probe, disc(21, 13, [30, 160, 60], 5));

    const folder = await ae('score', run, probes, '--out', join(dir, 'score-folder'), '--backend', 'wasm');
    expect(folder.err).toBe('');
    const viaFolder = (await scoresCsv(join(dir, 'score-folder', 'scores.csv'))).get('wide.png')!;
    const file = await ae('score', run, probe, '--out', join(dir, 'score-file'), '--backend', 'wasm');
    expect(file.err).toBe('');
    const viaFile = (await scoresCsv(join(dir, 'score-file', 'scores.csv'))).get(probe)!;
    expect(viaFile).toBe(viaFolder);

    const exported = await ae('export', run);
    expect(exported.err).toBe('');
    const onnx = join(run, 'model.onnx');
    const inferred = await ae('infer', onnx, probe);
    expect(inferred.err).toBe('');
    expect(inferred.out).toContain(`wide  reconstruction error (mse) ${viaFolder.toFixed(6)}`);
    const [viaInfer] = (await inferFiles(onnx, [probe])).scores!;
    const [viaServe] = await servedScores(onnx, [await readFile(probe)]);
    for (const score of [viaInfer, viaServe]) expect(close(score, viaFolder), `${score} vs ${viaFolder}`).toBe(true);
    // The transparent background counts as white: the score of the same disc on black is another.
    const black = PNG.sync.read(await readFile(probe));
    for (let i = 3; i < black.data.length; i += 4) black.data[i] = 255;
    const [onBlack] = (await inferFiles(onnx, [await writeProbe(join(dir, 'black.png'), PNG.sync.write(black))])).scores!;
    expect(close(onBlack, viaFolder)).toBe(false);
  });

  it('scores table rows with empty cells the same through ae score, ae infer and ae serve, with the saved fill values', async () => {
    const lines = ['id,when,site,pressure,flow'];
    for (let i = 0; i < 160; i++) {
      const t = (i * 0.37) % 1;
      const pressure = i % 9 === 4 ? '' : (1013 + 9 * Math.sin(7 * t)).toFixed(2);
      lines.push(`row-${1000 + i},2024-03-${String(1 + (i % 28)).padStart(2, '0')},${['north', 'south'][i % 2]},${pressure},${(2 * t + 0.1 * (i % 3)).toFixed(4)}`);
    }
    const csv = join(dir, 'sites.csv');
    await writeFile(csv, lines.join('\n') + '\n');
    const run = join(dir, 'table-run');
    const trained = await ae('train', 'mlp', '--data', csv, '--impute', 'median', '--epochs', '5', '--batch-size', '16', '--backend', 'wasm', '--out', run);
    expect(trained.err).toBe('');
    expect(trained.code).toBe(0);
    expect(trained.out).toContain(`left out column 'id' of ${csv}: it is ID-like`);
    expect(trained.out).toContain("read column 'when' as dates");
    const fresh = join(dir, 'fresh.csv');
    await writeFile(fresh, ['id,when,site,pressure,flow', 'a-1,2024-03-05,north,,0.5', 'a-2,2024-03-06,south,1020.5,', 'a-3,,north,1001,1.9'].join('\n') + '\n');

    const scored = await ae('score', run, fresh, '--out', join(dir, 'score-table'), '--backend', 'wasm');
    expect(scored.err).toBe('');
    const viaScore = [...(await scoresCsv(join(dir, 'score-table', 'scores.csv'))).values()];
    expect(viaScore).toHaveLength(3);
    expect(await ae('export', run)).toMatchObject({ code: 0, err: '' });
    const onnx = join(run, 'model.onnx');
    const inferred = await ae('infer', onnx, fresh);
    // The scores, not thousands of lines of reconstructions.
    expect(inferred.out.split('\n')).toHaveLength(5);
    const viaInfer = (await inferFiles(onnx, [fresh])).scores!;
    const rows = [
      { id: 'a-1', when: '2024-03-05', site: 'north', pressure: null, flow: 0.5 },
      { id: 'a-2', when: '2024-03-06', site: 'south', pressure: 1020.5, flow: '' },
      { id: 'a-3', when: '', site: 'north', pressure: 1001, flow: 1.9 },
    ];
    const viaServe = await servedScores(onnx, rows);
    viaScore.forEach((score, i) => {
      expect(close(viaInfer[i], score), `infer ${viaInfer[i]} vs score ${score}`).toBe(true);
      expect(close(viaServe[i], score), `serve ${viaServe[i]} vs score ${score}`).toBe(true);
    });
  });
});

async function writeProbe(path: string, bytes: Buffer): Promise<string> {
  await writeFile(path, bytes);
  return path;
}
