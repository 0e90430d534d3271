import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AeError, ConfigError, tf, useBackend, type CommandIO, type LineFigure, runPluginCommand } from '@aekit/core';
import { detectAnomalies, detectCommand, generateSeries, percentile, trainPartEnd } from '../src/index.js';

let dir: string;
beforeAll(async () => {
  await useBackend('wasm');
  dir = await mkdtemp(join(tmpdir(), 'aekit-detect-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Small, fast settings: a short series, short windows and a tiny model. */
const SMALL = { window: 16, epochs: 3, batchSize: 32, learningRate: 0.01, model: { latentDim: 8, units: 16 } };

/** A CommandIO that records what the command logs and draws. */
function recordingIO() {
  const lines: string[] = [];
  const figures: { file: string; figure: LineFigure }[] = [];
  const progress: number[] = [];
  const io: CommandIO = {
    log: (line) => void lines.push(line),
    backend: 'wasm',
    figures: (outDir) => ({
      lines: async (file, figure) => {
        figures.push({ file, figure });
        return join(outDir, file);
      },
      imageRows: async () => '',
      scatter: async () => '',
    }),
    progress: () => ({ update: (done) => void progress.push(done), stop: () => undefined }),
  };
  return { io, lines, figures, progress };
}

describe('detectAnomalies', () => {
  it('flags the injected anomalies of a generated series well above chance', async () => {
    const series = generateSeries({ length: 1200, seed: 5, anomalies: { count: 6, from: 600 } });
    const tensorsBefore = tf.memory().numTensors;
    const result = await detectAnomalies(series, { ...SMALL, seed: 5 });
    expect(result.trainEnd).toBe(600);
    expect(result.evaluation!.points.rocAuc).toBeGreaterThan(0.85);
    const { averagePrecision, bestF1, anomalies, total } = result.evaluation!.points;
    // Chance-level average precision is the share of anomalous points.
    expect(averagePrecision).toBeGreaterThan((2 * anomalies) / total);
    expect(bestF1.f1).toBeGreaterThanOrEqual(result.evaluation!.points.f1);
    expect(result.evaluation!.points.anomalies).toBe(series.labels.reduce((a, b) => a + b, 0));
    expect(result.flags.subarray(0, 600).every((f) => f === 0)).toBe(true);
    expect(result.threshold).toBeCloseTo(percentile(result.pointScores.subarray(0, 600), 99.9), 6);
    expect(result.training.history).toHaveLength(3);
    result.autoencoder.dispose();
    expect(tf.memory().numTensors).toBe(tensorsBefore);
  });

  it('refuses a window that leaves no room, naming it', async () => {
    const series = generateSeries({ length: 100 });
    await expect(detectAnomalies(series, { window: 60 })).rejects.toThrow(/^window: 60 points leave too few windows/);
    await expect(detectAnomalies(series, { percentile: 120 })).rejects.toThrow(ConfigError);
  });
});

describe('ae detect', () => {
  const flags = { window: '16', epochs: '2', batchSize: '32', learningRate: '0.01', latentDim: '8', units: '16', detrend: true };

  it('writes metrics, scores, plots and the model for a generated series', async () => {
    const out = join(dir, 'generated');
    const { io, lines, figures, progress } = recordingIO();
    await runPluginCommand(detectCommand, [], { ...flags, length: '800', anomalies: '4', seed: '2', out }, io);
    expect((await readdir(out)).sort()).toEqual(['metrics.json', 'model', 'scores.csv']);
    const metrics = JSON.parse(await readFile(join(out, 'metrics.json'), 'utf8'));
    expect(metrics.series).toMatchObject({ length: 800, channels: 3, trainEnd: 400 });
    expect(metrics.injected).toHaveLength(4);
    expect(metrics.evaluation.points.rocAuc).toBeGreaterThan(0.5);
    expect(metrics.model).toMatchObject({ latentDim: 8, units: 16, timesteps: 16, features: 3 });
    const csv = (await readFile(join(out, 'scores.csv'), 'utf8')).trim().split('\n');
    expect(csv[0]).toBe('t,part,score,flagged,label');
    expect(csv).toHaveLength(801);
    expect(figures.map((f) => f.file)).toEqual(['series.png', 'scores.png']);
    const [seriesPlot, scoresPlot] = figures.map((f) => f.figure);
    expect(seriesPlot.series.map((s) => s.name)).toEqual(['signal0', 'signal1', 'signal2']);
    expect(scoresPlot.marks!.x.length).toBe(metrics.flagged);
    expect(progress[progress.length - 1]).toBe(2 * Math.ceil((400 - 16 + 1) / 32));
    expect(lines.some((l) => l.startsWith('against the labels: ROC AUC'))).toBe(true);
  });

  it('reads a series from a CSV file', async () => {
    const series = generateSeries({ length: 600, channels: 2, seed: 4, anomalies: { count: 3, from: trainPartEnd(600, 0.5) } });
    const rows = Array.from({ length: series.length }, (_, t) => `${series.values[2 * t]},${series.values[2 * t + 1]},${series.labels[t]}`);
    const file = join(dir, 'series.csv');
    await writeFile(file, `a,b,label\n${rows.join('\n')}\n`);
    const out = join(dir, 'from-csv');
    const { io, lines } = recordingIO();
    await runPluginCommand(detectCommand, [], { ...flags, input: file, out }, io);
    const metrics = JSON.parse(await readFile(join(out, 'metrics.json'), 'utf8'));
    expect(metrics.source).toEqual({ file });
    expect(metrics.series.names).toEqual(['a', 'b']);
    expect(metrics.evaluation.points.anomalies).toBe(series.labels.reduce((a, b) => a + b, 0));
    expect(lines[0]).toMatch(/series\.csv: 600 points, 2 signals, \d+ labelled anomalous points$/);
  });

  it('explains bad flags and files in one line', async () => {
    const { io } = recordingIO();
    const failure = async (options: Record<string, unknown>) => {
      try {
        await runPluginCommand(detectCommand, [], { ...flags, out: join(dir, 'never'), ...options }, io);
      } catch (error) {
        expect(error).toBeInstanceOf(AeError);
        return (error as Error).message;
      }
      return 'no error';
    };
    expect(await failure({ batchSize: '0' })).toMatch(/^--batch-size: expected an integer ≥ 1, got "0"/);
    expect(await failure({ trainFraction: 'half' })).toMatch(/^--train-fraction: .*got "half"$/);
    expect(await failure({ config: '{layers: 2}' })).toMatch(/^--config: not valid JSON/);
    expect(await failure({ config: '{"layers": 0}' })).toMatch(/^lstm\.layers: /);
    expect(await failure({ input: join(dir, 'nope.csv') })).toBe(`${join(dir, 'nope.csv')}: no such file`);
  });
});
