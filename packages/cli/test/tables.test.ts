import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '@aekit/core';
import { readModelMetadata } from '@aekit/core/node';
import { runCli } from '../src/index.js';
import { aeWithPlugins } from './run-ae.js';

const plugin = fileURLToPath(new URL('./fixtures/table-plugin', import.meta.url));
const tinyPlugin = fileURLToPath(new URL('./fixtures/tiny-plugin', import.meta.url));

const ae = aeWithPlugins(plugin);

/**
 * Rows on a two-dimensional plane in six number columns (on very
 * different scales, so standardising matters), a category that follows
 * the plane, and a 0/1 label; every 20th row is planted off the plane.
 */
function plantedTable(rows: number, seed: number): string {
  const rng = createRng(seed);
  const normal = () => Math.sqrt(-2 * Math.log(rng() + 1e-12)) * Math.cos(2 * Math.PI * rng());
  const lines = ['sensor_a,sensor_b,sum,difference,double_a,half_b,kind,anomaly'];
  for (let i = 0; i < rows; i++) {
    const anomalous = i % 20 === 7;
    const a = normal();
    const b = normal();
    let values = [a, b, a + b, a - b, 2 * a, 0.5 * b].map((v) => v + 0.05 * normal());
    if (anomalous) values = values.map(() => 2.5 * normal());
    const scales = [1, 100, 1000, 0.01, 5, 50];
    lines.push([...values.map((v, j) => (10 * scales[j] + v * scales[j]).toPrecision(6)), a > 0 ? 'up' : 'down', anomalous ? 1 : 0].join(','));
  }
  return lines.join('\n') + '\n';
}

let dir: string;
let csv: string;
let run: string;
let trainOut: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'aekit-tables-cli-'));
  csv = join(dir, 'records.csv');
  await writeFile(csv, plantedTable(800, 3));
  run = join(dir, 'run');
  const trained = await ae('train', 'mlp', '--data', csv, '--label', 'anomaly', '--latent-dim', '2', '--epochs', '25', '--batch-size', '32', '--learning-rate', '0.01', '--backend', 'wasm', '--out', run, '--code-points', '100');
  expect(trained.err).toBe('');
  expect(trained.code).toBe(0);
  trainOut = trained.out;
}, 120_000);

describe('ae train --data records.csv', () => {
  it('trains a family with a linear output on standardised columns and saves the scaler with the model', async () => {
    expect(trainOut).toMatch(/read \d+ training and \d+ test rows of 8 features from .*records\.csv/);
    const metrics = JSON.parse(await readFile(join(run, 'metrics.json'), 'utf8'));
    expect(metrics.config).toMatchObject({ latentDim: 2, output: 'linear' });
    expect(metrics.data).toBe(csv);
    // Predicting the mean (0 in standardised units) gives about 0.75 (six unit-variance columns and a 0/1 one-hot pair of eight features).
    expect(metrics.testLoss).toBeLessThan(0.3);
    const { preprocessing, dataShape } = await readModelMetadata(join(run, 'model'));
    expect(dataShape).toEqual([8]);
    if (preprocessing?.kind !== 'table') throw new Error(`expected a table preprocessing, got ${preprocessing?.kind}`);
    expect(preprocessing.label).toBe('anomaly');
    expect(preprocessing.columns.map((c) => c.name)).toEqual(['sensor_a', 'sensor_b', 'sum', 'difference', 'double_a', 'half_b', 'kind']);
    // sensor_b is about 1000 ± 100: the saved statistics are the training split's.
    expect(preprocessing.scaler.mean[1]).toBeGreaterThan(950);
    expect(preprocessing.scaler.std[1]).toBeGreaterThan(70);
  });

  it('ae eval applies the saved scaler again and gets the test loss training reported', async () => {
    const { code, out } = await ae('eval', run, '--backend', 'wasm');
    expect(code).toBe(0);
    const metrics = JSON.parse(await readFile(join(run, 'metrics.json'), 'utf8'));
    const evaluation = JSON.parse(await readFile(join(run, 'eval.json'), 'utf8'));
    expect(out).toMatch(/on \d+ rows with wasm/);
    expect(evaluation.samples).toBe(metrics.testSamples);
    expect(evaluation.loss).toBeCloseTo(metrics.testLoss, 6);
  });

  it('ae eval says, as ae train did, that a model trained too little does no better than the mean', async () => {
    const weak = join(dir, 'weak');
    const trained = await ae('train', 'mlp', '--data', csv, '--label', 'anomaly', '--latent-dim', '2', '--epochs', '1', '--learning-rate', '0.000001', '--backend', 'wasm', '--out', weak);
    expect(trained.out).toMatch(/warning: no better than the mean: test mse \d/);
    const evaluated = await ae('eval', weak, '--backend', 'wasm');
    expect(evaluated.code).toBe(0);
    expect(evaluated.out).toMatch(/^baselines \(mse\): training mean \d\.\d+, PCA with 2 components \d\.\d+\nwarning: no better than the mean: test mse \d\.\d+ against \d\.\d+ for always answering the training mean; the model has not learned/m);
  });

  it('ae score finds the planted anomalies well above chance and writes scores, metrics and pictures', async () => {
    const { code, out, err } = await ae('score', run, csv, '--backend', 'wasm', '--worst', '5');
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).toMatch(/scored 800 items/);
    const score = join(run, 'score');
    expect((await readdir(score)).sort()).toEqual(['score-histogram.png', 'score-metrics.json', 'scores.csv', 'worst-rows.csv']);
    const summary = JSON.parse(await readFile(join(score, 'score-metrics.json'), 'utf8'));
    expect(summary.metrics.anomalies).toBe(40);
    expect(summary.metrics.rocAuc).toBeGreaterThan(0.9);
    expect(summary.metrics.averagePrecision).toBeGreaterThan(0.5);
    expect(summary.metrics.bestF1.f1).toBeGreaterThan(0.5);
    // The baselines score the same rows: points off the plane are far from the mean and badly reconstructed by its PCA too.
    const { distanceToMean, pca, isolationForest } = summary.baselines;
    expect(pca.components).toBe(2);
    expect(pca.rocAuc).toBeGreaterThan(0.9);
    expect(distanceToMean.rocAuc).toBeGreaterThan(0.6);
    expect(isolationForest).toMatchObject({ trees: 100, rows: expect.any(Number) });
    expect(isolationForest.rocAuc).toBeGreaterThan(0.6);
    expect(out).toMatch(/baselines' ROC AUC: distance to the training mean [\d.]+, PCA error \(2 components\) [\d.]+, isolation forest [\d.]+/);
    const lines = (await readFile(join(score, 'scores.csv'), 'utf8')).trim().split('\n');
    expect(lines[0]).toBe('line,score,label,anomalous');
    expect(lines).toHaveLength(801);
    // Row 7 (line 9) is planted.
    expect(lines[8]).toMatch(/^line 9,[\d.e-]+,1,1$/);
    const worst = (await readFile(join(score, 'worst-rows.csv'), 'utf8')).trim().split('\n');
    expect(worst[0]).toMatch(/^line,score,label,sensor_a,sensor_a \(reconstructed\),sensor_a \(error\),/);
    expect(worst).toHaveLength(6);
    // The worst rows are mostly planted ones.
    expect(worst.slice(1).filter((l) => l.split(',')[2] === '1').length).toBeGreaterThanOrEqual(4);
  });

  it('ae score shows the worst rows\' values as the file wrote them, not as decoded from the model\'s float32 features', async () => {
    // Line 3 made the worst: more digits than float32 holds, and a kind the model never saw (no one-hot feature).
    const lines = (await readFile(csv, 'utf8')).trim().split('\n');
    lines[2] = '90000.12345,1000,10000,0.1,50,500,sideways,1';
    const odd = join(dir, 'odd.csv');
    await writeFile(odd, lines.join('\n') + '\n');
    const out = join(dir, 'score-odd');
    const { code, err } = await ae('score', run, odd, '--backend', 'wasm', '--worst', '3', '--out', out);
    expect(err).toBe('');
    expect(code).toBe(0);
    const [header, ...rows] = (await readFile(join(out, 'worst-rows.csv'), 'utf8')).trim().split('\n').map((l) => l.split(','));
    const row = rows.find((r) => r[0] === 'line 3')!;
    expect(row, rows.map((r) => r[0]).join('; ')).toBeDefined();
    expect(row[header.indexOf('sensor_a')]).toBe('90000.12345');
    expect(row[header.indexOf('kind')]).toBe('sideways');
    // The reconstruction is the model's: a kind it knows.
    expect(['up', 'down', '']).toContain(row[header.indexOf('kind (reconstructed)')]);
    // Other rows as written too: line 9's first cell.
    const nine = rows.find((r) => r[0] === 'line 9');
    if (nine) expect(nine[header.indexOf('sensor_a')]).toBe(lines[8].split(',')[0]);
  });

  it('ae score takes the normal label value a run trained on (--normal) without being told again, and is told otherwise by --anomaly', async () => {
    const normalOnly = join(dir, 'normal-only');
    const trained = await ae('train', 'mlp', '--data', csv, '--label', 'anomaly', '--normal', '0', '--latent-dim', '2', '--epochs', '3', '--backend', 'wasm', '--out', normalOnly);
    expect(trained.code, trained.err).toBe(0);
    expect(JSON.parse(await readFile(join(normalOnly, 'metrics.json'), 'utf8')).trainWhere).toEqual({ column: 'anomaly', value: '0' });
    const scored = await ae('score', normalOnly, csv, '--backend', 'wasm');
    expect(scored.code, scored.err).toBe(0);
    expect(scored.out).toContain("'0' is the normal label value, as in training (--normal or --anomaly says otherwise)");
    const summary = JSON.parse(await readFile(join(normalOnly, 'score', 'score-metrics.json'), 'utf8'));
    expect(summary.normal).toBe('0');
    expect(summary.metrics.anomalies).toBe(40);
    const told = await ae('score', normalOnly, csv, '--anomaly', '0', '--backend', 'wasm', '--out', join(dir, 'score-told'));
    expect(told.out).not.toContain('as in training');
    expect(JSON.parse(await readFile(join(dir, 'score-told', 'score-metrics.json'), 'utf8')).metrics.anomalies).toBe(760);
  });

  it('ae score with --normal treats one class as normal, and without data scores the run\'s test rows', async () => {
    const out = join(dir, 'score-normal');
    const { code } = await ae('score', run, '--normal', '0', '--out', out, '--backend', 'wasm');
    expect(code).toBe(0);
    const summary = JSON.parse(await readFile(join(out, 'score-metrics.json'), 'utf8'));
    const metrics = JSON.parse(await readFile(join(run, 'metrics.json'), 'utf8'));
    expect(summary.items).toBe(metrics.testSamples);
    expect(summary.metrics.rocAuc).toBeGreaterThan(0.85);
    const bad = await ae('score', run, '--normal', 'cat', '--out', out);
    expect(bad.code).toBe(1);
    expect(bad.err).toBe("ae: normal: 'cat' is no label value of these items; they are 0, 1");
  });

  it('stops at a bad row with one line naming the file and line, and --skip-bad skips and counts', async () => {
    const rows = plantedTable(200, 4).split('\n');
    rows[10] = rows[10].split(',').slice(0, 5).join(',');
    rows[20] = rows[20].replace(/^[^,]+/, 'high');
    const bad = join(dir, 'bad.csv');
    await writeFile(bad, rows.join('\n'));
    const failed = await ae('train', 'mlp', '--data', bad, '--label', 'anomaly', '--epochs', '1', '--out', join(dir, 'bad-run'));
    expect(failed.code).toBe(1);
    expect(failed.err).toBe(`ae: ${bad}: line 11: expected 8 values as in the header, got 5 (pass --skip-bad to skip such rows)`);
    const skipped = await ae('train', 'mlp', '--data', bad, '--label', 'anomaly', '--epochs', '1', '--skip-bad', '--out', join(dir, 'bad-run'), '--code-points', '50');
    expect(skipped.code).toBe(0);
    expect(skipped.out).toContain(`skipped 2 bad rows of ${bad} (the first: line 11: expected 8 values as in the header, got 5)`);
    rows[10] = rows[11];
    await writeFile(bad, rows.join('\n'));
    const word = await ae('train', 'mlp', '--data', bad, '--label', 'anomaly', '--epochs', '1', '--out', join(dir, 'bad-run'));
    expect(word.err).toBe(`ae: ${bad}: line 21: column 'sensor_a' is "high", not a number (pass --skip-bad to skip such rows)`);
  });

  it('refuses a family config that contradicts the data (a sigmoid output on standardised columns) in one line', async () => {
    const refused = await ae('train', 'mlp', '--data', csv, '--label', 'anomaly', '--config', '{"output":"sigmoid"}', '--epochs', '1', '--out', join(dir, 'sigmoid-run'));
    expect(refused.code).toBe(1);
    expect(refused.err).toBe('ae: mlp.output: sigmoid cannot reconstruct unbounded values');
    expect(existsSync(join(dir, 'sigmoid-run', 'metrics.json'))).toBe(false);
  });

  it('refuses a family that reconstructs only [0, 1] in one line naming the families that take unbounded data', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(['--plugin', plugin, '--plugin', tinyPlugin, 'train', 'tiny', '--data', csv, '--label', 'anomaly', '--epochs', '1', '--out', join(dir, 'tiny-run')], {
      log: (l) => out.push(l),
      error: (l) => err.push(l),
    });
    expect(code).toBe(1);
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(/^ae: data: family 'tiny' reconstructs values in \[0, 1\] only, and this data has unbounded values \(e\.g\. standardised table columns\); families that take it: [\w, -]+$/);
    const able = err[0].split('families that take it: ')[1].split(', ');
    expect(able).toContain('mlp');
    expect(able).not.toContain('tiny');
    expect(existsSync(join(dir, 'tiny-run', 'metrics.json'))).toBe(false);
  });
});
