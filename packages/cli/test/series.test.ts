import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '@aekit/core';
import { readModelMetadata } from '@aekit/core/node';
import { aeWithPlugins } from './run-ae.js';

// The real lstm family (built before these tests by turbo, as a devDependency).
const modelsSeq = fileURLToPath(new URL('../../models-seq', import.meta.url));
const ae = aeWithPlugins(modelsSeq);

/** Small, fast settings that still learn the seasonal shape. */
const SMALL = ['--window', '16', '--epochs', '8', '--batch-size', '16', '--learning-rate', '0.01', '--config', '{"latentDim":8,"units":16}', '--backend', 'wasm', '--code-points', '50'];

/** The injected anomalies: spikes (one point) and a level shift (a stretch moved up), all in the test part. */
const SPIKES = [585, 650];
const SHIFT = { start: 610, end: 624 };

/**
 * A steeply trending seasonal series, one row an hour from 2021-01-01: the
 * level climbs about 25 of its seasonal swings over the file, so a model
 * normalised on the first part sees the test part far above anything it
 * trained on unless each window is detrended. Spikes and a level shift
 * are added in the test part and labelled.
 */
function trendingSeries(length: number): { csv: string; labels: Uint8Array } {
  const rng = createRng(5);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
  const labels = new Uint8Array(length);
  const lines = ['time,load,label'];
  for (let t = 0; t < length; t++) {
    let v = 0.04 * t + Math.sin((2 * Math.PI * t) / 24) + 0.4 * Math.sin((4 * Math.PI * t) / 24 + 1) + 0.08 * gauss();
    if (SPIKES.includes(t)) v += 3.5;
    if (t >= SHIFT.start && t < SHIFT.end) v += 1.6;
    labels[t] = SPIKES.includes(t) || (t >= SHIFT.start && t < SHIFT.end) ? 1 : 0;
    lines.push(`${new Date(Date.UTC(2021, 0, 1, t)).toISOString()},${v.toFixed(4)},${labels[t]}`);
  }
  return { csv: lines.join('\n') + '\n', labels };
}

function csvRows(text: string): string[][] {
  return text.trim().split('\n').map((line) => line.split(','));
}

let dir: string;
let trend: string;
let run: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'aekit-series-cli-'));
  trend = join(dir, 'trend.csv');
  await writeFile(trend, trendingSeries(700).csv);
  run = join(dir, 'run');
  const trained = await ae('train', 'lstm', '--data', trend, ...SMALL, '--seed', '1', '--out', run);
  expect(trained.err).toBe('');
  expect(trained.code).toBe(0);
}, 900_000);

describe('ae train lstm --data series.csv', () => {
  it('trains on the windows of the training part and saves the series preprocessing and threshold with the model', async () => {
    const metadata = await readModelMetadata(join(run, 'model'));
    expect(metadata.preprocessing).toMatchObject({ kind: 'series', timeColumn: 'time', timeKind: 'date', valueColumns: ['load'], labelColumn: 'label', window: 16, stride: 1, difference: 0, detrend: 'window-linear' });
    expect(metadata.dataShape).toEqual([16, 1]);
    const metrics = JSON.parse(await readFile(join(run, 'metrics.json'), 'utf8'));
    expect(metrics.dataset).toBe('series');
    expect(metrics.series.parts).toEqual({ length: 700, trainEnd: 504, validationEnd: 560 });
    // Validation windows are the validation part's, not a random share of the training windows.
    expect(metrics.validationSamples).toBe(56 - 16 + 1);
    expect(metrics.series.windows).toEqual({ train: 504 - 16 + 1, validation: 41, test: 140 - 16 + 1 });
    expect(metadata.threshold).toEqual(metrics.series.threshold);
    expect(metadata.threshold).toMatchObject({ percentile: 99, chosenOn: 'the 56 validation points' });
    expect(metadata.threshold!.value).toBeGreaterThan(0);
    expect((await readdir(run)).sort()).toEqual(expect.arrayContaining(['codes.png', 'loss.png', 'metrics.json', 'model', 'reconstructions.png']));
  });

  it('refuses series settings for data that is no series file, and families that do not read series, in one line', async () => {
    const folder = await ae('train', 'lstm', '--data', dir, '--window', '8', '--out', join(dir, 'never'));
    expect(folder.code).toBe(1);
    expect(folder.err).toBe(`ae: window: --window applies to a series file (--data series.csv), and ${dir} is none`);
    const short = await ae('train', 'lstm', '--data', trend, '--window', '100', '--out', join(dir, 'never'));
    expect(short.err).toBe('ae: window: a window of 100 points does not fit the validation part of 56 points of a series of 700; use a shorter --window');
  });
});

describe('ae score on a series run', () => {
  it('finds the spikes and the level shift of a trending series and does not flag the trend', async () => {
    const scored = await ae('score', run, '--backend', 'wasm');
    expect(scored.err).toBe('');
    const summary = JSON.parse(await readFile(join(run, 'score', 'score-metrics.json'), 'utf8'));
    expect(summary).toMatchObject({ points: 140, windows: 125, from: '2021-01-24T08:00:00Z', to: '2021-01-30T03:00:00Z' });
    const rows = csvRows(await readFile(join(run, 'score', 'scores.csv'), 'utf8'));
    expect(rows[0]).toEqual(['time', 'load', 'score', 'flagged', 'label']);
    expect(rows).toHaveLength(141);
    const point = (t: number) => rows[1 + t - 560];
    // Every spike is flagged at its point, the level shift at least at one of its points.
    for (const t of SPIKES) expect(point(t)[3]).toBe('1');
    const shift = Array.from({ length: SHIFT.end - SHIFT.start }, (_, i) => point(SHIFT.start + i)[3]);
    expect(shift).toContain('1');
    // Normal points away from the anomalies: the climbing level does not make them look anomalous.
    const far = (t: number) => [...SPIKES, SHIFT.start, SHIFT.end - 1].every((a) => Math.abs(a - t) > 16);
    const normal = rows.slice(1).filter((_, i) => far(560 + i));
    const flaggedNormal = normal.filter((r) => r[3] === '1').length;
    expect(normal.length).toBeGreaterThan(40);
    expect(flaggedNormal / normal.length).toBeLessThan(0.05);
    // Scores rank the anomalous points above the normal ones, per point and per window.
    expect(summary.metrics.rocAuc).toBeGreaterThan(0.8);
    expect(summary.metrics.windowRocAuc).toBeGreaterThan(0.8);
    expect(summary.baselines.rollingZScore.window).toBe(16);
    expect(scored.out).toMatch(/ROC AUC [01]\.\d{4} \(windows [01]\.\d{4}; rolling z-score baseline [01]\.\d{4}\)/);
    const windows = csvRows(await readFile(join(run, 'score', 'windows.csv'), 'utf8'));
    expect(windows[0]).toEqual(['start', 'end', 'score', 'flagged', 'label']);
    expect(windows[1].slice(0, 2)).toEqual(['2021-01-24T08:00:00Z', '2021-01-24T23:00:00Z']);
    expect((await readdir(join(run, 'score'))).sort()).toEqual(['score-metrics.json', 'scores.csv', 'scores.png', 'series.png', 'windows.csv']);
  });

  it('scores every point of a new file with the saved threshold, filling its empty cells and saying so', async () => {
    const { csv } = trendingSeries(700);
    // Later data: the last 200 rows, without labels, with two empty cells.
    const lines = csv.trim().split('\n').slice(501).map((l) => l.split(',').slice(0, 2));
    lines[10][1] = '';
    lines[11][1] = 'NA';
    const fresh = join(dir, 'new.csv');
    await writeFile(fresh, ['time,load', ...lines.map((l) => l.join(','))].join('\n') + '\n');
    const out = join(dir, 'new-scores');
    const scored = await ae('score', run, fresh, '--out', out, '--backend', 'wasm');
    expect(scored.err).toBe('');
    expect(scored.out).toContain("filled 2 empty cells (2 in 'load') linearly between the nearest values before and after");
    const rows = csvRows(await readFile(join(out, 'scores.csv'), 'utf8'));
    expect(rows[0]).toEqual(['time', 'load', 'score', 'flagged', 'filled']);
    expect(rows).toHaveLength(201);
    expect(rows[11][4]).toBe('1');
    expect(rows.slice(1).filter((r) => r[4] === '1')).toHaveLength(2);
    const summary = JSON.parse(await readFile(join(out, 'score-metrics.json'), 'utf8'));
    const metadata = await readModelMetadata(join(run, 'model'));
    expect(summary.threshold).toEqual(metadata.threshold);
    // The same points scored within the run's own test part score the same here: one code path.
    const own = csvRows(await readFile(join(run, 'score', 'scores.csv'), 'utf8'));
    const at = (table: string[][], time: string) => table.find((r) => r[0] === time)!;
    expect(Number(at(rows, '2021-01-29T05:00:00Z')[2])).toBeCloseTo(Number(at(own, '2021-01-29T05:00:00Z')[2]), 5);
  });

  it('evaluates the test windows with ae eval', async () => {
    const evaluated = await ae('eval', run, '--backend', 'wasm');
    expect(evaluated.err).toBe('');
    const [result, baselines, ...rest] = evaluated.out.trim().split('\n');
    expect(result).toMatch(/^lstm: test loss \d\.\d{3}e?-?\d* \(mse .*\) on 125 windows with wasm$/);
    // The run's baselines, scored on the same windows.
    expect(baselines).toMatch(/^baselines \(mse\): training mean \d\.\d+, PCA with \d+ components \d\.\d+$/);
    // ae train's verdict beside the baselines, said again on the same windows (or nothing when the model beat both).
    const { warnings } = JSON.parse(await readFile(join(run, 'metrics.json'), 'utf8')) as { warnings: { code: string }[] };
    const beaten = warnings.filter((w) => w.code.startsWith('no-better-than'));
    expect(rest.map((line) => /^warning: no better than (the mean|PCA): test mse /.test(line)), evaluated.out).toEqual(beaten.map(() => true));
  });
});

describe('ae detect', () => {
  it('writes what ae train and ae score write, run one after the other', async () => {
    const detected = await ae('detect', '--data', trend, ...SMALL.filter((a) => a !== '--code-points' && a !== '50'), '--seed', '1', '--out', join(dir, 'detect'));
    expect(detected.err).toBe('');
    const scores = async (d: string) => readFile(join(d, 'score', 'scores.csv'), 'utf8');
    expect(await scores(join(dir, 'detect'))).toBe(await scores(run));
    const threshold = async (d: string) => (await readModelMetadata(join(d, 'model'))).threshold;
    expect(await threshold(join(dir, 'detect'))).toEqual(await threshold(run));
  }, 900_000);
});
