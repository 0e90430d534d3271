import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '@aekit/core';
import { aeWithPlugins } from './run-ae.js';

const mlp = fileURLToPath(new URL('./fixtures/table-plugin', import.meta.url));
const ae = aeWithPlugins(mlp);

/** A 10x10 picture: a smooth gradient (normal), or noise (anomalous). */
function picture(kind: 'smooth' | 'noise', seed: number): Buffer {
  const rng = createRng(seed);
  const png = new PNG({ width: 10, height: 10 });
  for (let p = 0; p < 100; p++) {
    const v = kind === 'smooth' ? 40 + 15 * ((p % 10) + Math.floor(p / 10)) + (seed % 5) : Math.floor(rng() * 256);
    png.data.set([v, v, v, 255], 4 * p);
  }
  return PNG.sync.write(png);
}

let dir: string;
let run: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'aekit-labels-'));
  const train = join(dir, 'train');
  await mkdir(train);
  for (let i = 0; i < 40; i++) await writeFile(join(train, `${i}.png`), picture('smooth', i));
  run = join(dir, 'run');
  const trained = await ae('train', 'mlp', '--data', train, '--epochs', '20', '--batch-size', '8', '--learning-rate', '0.01', '--backend', 'wasm', '--out', run);
  expect(trained.err).toBe('');
}, 120_000);

/** A folder of `normal/` and anomalous pictures under another name. */
async function labelled(anomalyFolder: string): Promise<string> {
  const root = join(dir, `photos-${anomalyFolder}`);
  for (const [folder, kind] of [['normal', 'smooth'], [anomalyFolder, 'noise']] as const) {
    await mkdir(join(root, folder), { recursive: true });
    for (let i = 0; i < 6; i++) await writeFile(join(root, folder, `${i}.png`), picture(kind, 100 + i));
  }
  return root;
}

describe('labels by name', () => {
  // 'anomaly' sorts before 'normal', 'scratched' after it: the class numbers swap, the answer must not.
  for (const anomalyFolder of ['anomaly', 'scratched']) {
    it(`scores every image of normal/ and ${anomalyFolder}/ with the folder names, never guessing which is normal`, async () => {
      const photos = await labelled(anomalyFolder);
      const out = join(dir, `score-${anomalyFolder}`);
      const refused = await ae('score', run, photos, '--out', out, '--backend', 'wasm');
      const values = ['anomaly', 'normal', 'scratched'].filter((v) => v === 'normal' || v === anomalyFolder);
      expect(refused).toMatchObject({
        code: 1,
        err: `ae: normal: the labels have two values, '${values[0]}', '${values[1]}'; say which one is normal with --normal <value> (the direction of an anomaly label is never guessed)`,
      });

      const scored = await ae('score', run, photos, '--normal', 'normal', '--out', out, '--backend', 'wasm');
      expect(scored.err).toBe('');
      // Every one of the 12 images, not a held-out tenth.
      expect(scored.out).toMatch(/^scored 12 items of /);
      const summary = JSON.parse(await readFile(join(out, 'score-metrics.json'), 'utf8'));
      expect(summary.normal).toBe('normal');
      expect(summary.labels).toEqual({ normal: 6, [anomalyFolder]: 6 });
      // Noise is far worse reconstructed than the gradients the model learned: the AUC says so, in the right direction.
      expect(summary.metrics.rocAuc).toBeGreaterThan(0.95);
      expect(summary.worst[0].label).toBe(anomalyFolder);
      const lines = (await readFile(join(out, 'scores.csv'), 'utf8')).trim().split('\n');
      expect(lines[0]).toBe('file,score,label,anomalous');
      expect(lines).toHaveLength(13);
      for (const line of lines.slice(1)) {
        const [file, , label, anomalous] = line.split(',');
        expect(label).toBe(file.split('/')[0]);
        expect(anomalous).toBe(label === 'normal' ? '0' : '1');
      }
    });
  }

  it('reads a true/false table label as boolean without --normal, and refuses two named values until --normal says which is normal', async () => {
    // Normal rows lie on a plane (c = a + b, d = a - b); faults leave it.
    const rows = ['a,b,c,d,flag,status'];
    for (let i = 0; i < 80; i++) {
      const odd = i % 8 === 0;
      const [a, b] = [i % 5, (i * 3) % 7];
      rows.push(`${a},${b},${odd ? a - b + 6 : a + b},${odd ? a + b - 6 : a - b},${odd},${odd ? 'fault' : 'ok'}`);
    }
    const csv = join(dir, 'flags.csv');
    await writeFile(csv, rows.join('\n') + '\n');
    const flagRun = join(dir, 'flag-run');
    // --normal at training: only the normal rows are trained on.
    expect(await ae('train', 'mlp', '--data', csv, '--label', 'flag', '--normal', 'false', '--drop', 'status', '--epochs', '40', '--learning-rate', '0.01', '--batch-size', '8', '--backend', 'wasm', '--out', flagRun)).toMatchObject({ code: 0, err: '' });
    const flagged = await ae('score', flagRun, csv, '--out', join(dir, 'flag-score'), '--backend', 'wasm');
    expect(flagged.err).toBe('');
    const flagSummary = JSON.parse(await readFile(join(dir, 'flag-score', 'score-metrics.json'), 'utf8'));
    expect(flagSummary).toMatchObject({ normal: 'false', labels: { false: 70, true: 10 }, metrics: { anomalies: 10 } });
    expect(flagSummary.metrics.rocAuc).toBeGreaterThan(0.9);

    const statusRun = join(dir, 'status-run');
    expect(await ae('train', 'mlp', '--data', csv, '--label', 'status', '--drop', 'flag', '--epochs', '2', '--backend', 'wasm', '--out', statusRun)).toMatchObject({ code: 0, err: '' });
    const refused = await ae('score', statusRun, csv, '--out', join(dir, 'status-score'), '--backend', 'wasm');
    expect(refused).toMatchObject({ code: 1, err: "ae: normal: the labels have two values, 'fault', 'ok'; say which one is normal with --normal <value> (the direction of an anomaly label is never guessed)" });
    const named = await ae('score', statusRun, csv, '--normal', 'ok', '--out', join(dir, 'status-score'), '--backend', 'wasm');
    expect(named.err).toBe('');
    expect(named.out).toMatch(/10 anomalous of 80: ROC AUC/);
  });
});
