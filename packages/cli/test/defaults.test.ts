import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '@aekit/core';
import { aeWithPlugins } from './run-ae.js';

const dense = dirname(createRequire(import.meta.url).resolve('@aekit/models-dense/package.json'));
const ae = aeWithPlugins(dense);

/**
 * Points on a curved two-dimensional surface in ten columns: (u, v) drawn
 * uniformly, bent through cosines, sines and products, with a little noise.
 * Two numbers describe every row, but no plane does: PCA with two
 * components leaves about 60% of the standardised variance, a 2-unit
 * autoencoder can leave almost none.
 */
function curvedSurface(rows: number, seed: number): string {
  const rng = createRng(seed);
  const noise = () => 0.02 * Math.sqrt(-2 * Math.log(rng() + 1e-12)) * Math.cos(2 * Math.PI * rng());
  const lines = [Array.from({ length: 10 }, (_, j) => `x${j}`).join(',')];
  for (let i = 0; i < rows; i++) {
    const u = rng() * 2 - 1;
    const v = rng() * 2 - 1;
    const t = 1.5 * Math.PI * u;
    const x = [Math.cos(t), Math.sin(t), v, 0.5 * Math.cos(2 * t), Math.sin(Math.PI * v), u * v, u * Math.cos(Math.PI * v), (t * t) / 10, Math.sin(t + v), Math.cos(t - 2 * v)];
    lines.push(x.map((value) => (value + noise()).toFixed(5)).join(','));
  }
  return lines.join('\n') + '\n';
}

let dir: string;
let table: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'aekit-defaults-'));
  table = join(dir, 'surface.csv');
  await writeFile(table, curvedSurface(800, 5));
});

const metricsOf = async (run: string) => JSON.parse(await readFile(join(run, 'metrics.json'), 'utf8'));
const codes = (metrics: { warnings: { code: string }[] }) => metrics.warnings.map((w) => w.code);

describe('ae train with only --data', () => {
  it('gives deep a 2-unit code on a 10-column curved surface, and it beats PCA with 2 components there', async () => {
    const run = join(dir, 'deep');
    // --steps only keeps the test short: the default budget is 10,550 steps.
    const { code, out, err } = await ae('train', 'deep', '--data', table, '--steps', '1500', '--backend', 'wasm', '--out', run, '--code-points', '50');
    expect(err).toBe('');
    expect(code).toBe(0);
    const metrics = await metricsOf(run);
    expect(metrics.config).toMatchObject({ latentDim: 2, output: 'linear' });
    expect(metrics.batchSize).toBe(16);
    expect(metrics.plan).toMatchObject({ budget: 'steps', neededSteps: 1500, batchSize: 16 });
    expect(metrics.baselines).toMatchObject({ term: 'mse', pca: { components: 2 } });
    // PCA with 2 components keeps about 40% of the variance of this surface; the mean none of it.
    expect(metrics.baselines.pca.loss).toBeGreaterThan(0.5);
    expect(metrics.baselines.mean).toBeGreaterThan(0.9);
    expect(metrics.baselines.model).toBe(metrics.testLoss);
    expect(metrics.testLoss).toBeLessThan(metrics.baselines.pca.loss * 0.6);
    expect(codes(metrics)).toEqual([]);
    expect(typeof metrics.restoredBestWeights).toBe('boolean');
    expect(metrics.bestEpoch).toBeGreaterThanOrEqual(1);
    expect(metrics.bestEpoch).toBeLessThanOrEqual(metrics.epochs);
    expect(out).toMatch(/baselines \(mse\): training mean [\d.]+, PCA with 2 components [\d.]+/);
    expect(out).toMatch(/a budget of 1500 optimizer steps, 36 an epoch/);
  }, 300_000);

  it('warns once of too few steps, of a code as wide as the input and of a model no better than the mean', async () => {
    const run = join(dir, 'short');
    const { code, out } = await ae('train', 'deep', '--data', table, '--epochs', '1', '--latent-dim', '12', '--backend', 'wasm', '--out', run, '--code-points', '50');
    expect(code).toBe(0);
    const metrics = await metricsOf(run);
    expect(codes(metrics)).toContain('too-few-steps');
    expect(codes(metrics)).toContain('identity-code');
    expect(metrics.warnings.find((w: { code: string }) => w.code === 'too-few-steps').message).toMatch(/^1 epoch of 36 steps gives 36 optimizer steps, fewer than the 10550 this family needs/);
    expect(out.match(/warning: 1 epoch of 36 steps/g)).toHaveLength(1);
    expect(out).toMatch(/warning: the code has 12 values for 10 inputs/);
    expect(metrics.baselines.pcaSkipped).toMatch(/as large as the input/);
  }, 120_000);
});
