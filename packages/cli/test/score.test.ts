import { mkdtemp, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { aeWithPlugins } from './run-ae.js';

const plugin = fileURLToPath(new URL('./fixtures/tiny-plugin', import.meta.url));

const ae = aeWithPlugins(plugin);

describe('ae score on images', () => {
  it('scores the test images of a run, draws the worst ones and the histogram, and refuses a --normal class the labels lack', async () => {
    const run = join(await mkdtemp(join(tmpdir(), 'aekit-score-')), 'run');
    const trained = await ae('train', 'tiny', '--dataset', 'stripes', '--epochs', '2', '--batch-size', '32', '--backend', 'wasm', '--out', run, '--code-points', '50');
    expect(trained.code).toBe(0);
    const scored = await ae('score', run, '--worst', '4', '--normal', '0');
    expect(scored.err).toBe('');
    expect(scored.code).toBe(0);
    // The score is a mean squared error though tiny trains on binary cross-entropy: the line names both.
    expect(scored.out).toMatch(/scored 64 items of generated \(test set\) with \w+: mean score \d\.\d+(?:e-\d+)? \(mse: mean squared reconstruction error per item; the model trained on bce, which ae eval reports\)/);
    expect(scored.out).toMatch(/32 anomalous of 64: ROC AUC \d\.\d{4}, PR AUC \d\.\d{4} \(chance 0\.5000\), best F1 \d\.\d{4} at score >= /);
    const dir = join(run, 'score');
    expect((await readdir(dir)).sort()).toEqual(['score-histogram.png', 'score-metrics.json', 'scores.csv', 'worst.png']);
    const lines = (await readFile(join(dir, 'scores.csv'), 'utf8')).trim().split('\n');
    expect(lines[0]).toBe('index,score,label,anomalous');
    expect(lines).toHaveLength(65);
    expect(lines[2]).toMatch(/^1,[\d.e-]+,1,1$/);
    const summary = JSON.parse(await readFile(join(dir, 'score-metrics.json'), 'utf8'));
    const scores = lines.slice(1).map((l) => Number(l.split(',')[1]));
    expect(summary.worst.map((w: { score: number }) => w.score)).toEqual([...scores].sort((a, b) => b - a).slice(0, 4).map((s) => Math.fround(s)));
    // Four 4x4 pictures scaled 3 times, in two rows.
    const png = PNG.sync.read(await readFile(join(dir, 'worst.png')));
    expect(png.width).toBeGreaterThan(4 * 12);
    const wrong = await ae('score', run, '--normal', '7', '--out', join(run, 'other'));
    expect(wrong).toMatchObject({ code: 1, err: "ae: normal: '7' is no label value of these items; they are 0, 1" });
  });
});
