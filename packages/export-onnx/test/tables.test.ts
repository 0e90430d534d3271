import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fit, reconstructionErrors, registry, tf, useBackend, type Autoencoder } from '@aekit/core';
import { saveAutoencoder } from '@aekit/core/node';
import { readTable, type ReadTableResult } from '@aekit/data-tables';
import { createServer, exportRun, exportTritonRun, inferFiles, loadServedModels, OnnxModel } from '../src/index.js';
import { testDenseFamily } from './fixtures/families.js';

let dir: string;
let csv: string;
let table: ReadTableResult;
let autoencoder: Autoencoder;

/** Rows with columns on very different scales (a scaler that is far from the identity) and a category. */
function records(rows: number): string {
  const lines = ['pressure,flow,ratio,site'];
  for (let i = 0; i < rows; i++) {
    const t = (i * 0.37) % 1;
    lines.push(`${(101300 + 900 * Math.sin(7 * t) + (i % 5)).toFixed(1)},${(0.002 * t + 0.0001 * (i % 3)).toFixed(6)},${(3 * t - 1).toFixed(4)},${['north', 'south', 'east'][i % 3]}`);
  }
  return lines.join('\n') + '\n';
}

beforeAll(async () => {
  await useBackend('wasm');
  registry.register(testDenseFamily);
  dir = await mkdtemp(join(tmpdir(), 'aekit-onnx-tables-'));
  csv = join(dir, 'records.csv');
  await writeFile(csv, records(120));
  table = await readTable(csv, { seed: 2 });
  autoencoder = registry.create(testDenseFamily.name, { latentDim: 2 }, { seed: 1, dataShape: [6] });
  await fit(autoencoder, table.train.data, { epochs: 2, batchSize: 16 });
  await saveAutoencoder(autoencoder, join(dir, 'model'), [6], { preprocessing: table.preprocessing });
});

afterAll(async () => {
  autoencoder.dispose();
  await rm(dir, { recursive: true, force: true });
});

describe('ONNX export of a model trained on a table', () => {
  it('bakes the scaler into the graph, passes the parity check and keeps the encoding in the metadata', async () => {
    const files = await exportRun(dir, { part: 'all' });
    expect(files.map((f) => f.part)).toEqual(['full', 'encoder', 'decoder']);
    for (const file of files) expect(file.maxAbsDiff).toBeLessThan(1e-4);
    const model = await OnnxModel.load(join(dir, 'model.onnx'));
    expect(model.metadata.scaler).toEqual(table.preprocessing.scaler);
    expect(model.metadata.preprocessing?.kind === 'table' && model.metadata.preprocessing.columns.map((c) => c.name)).toEqual(['pressure', 'flow', 'ratio', 'site']);
    await model.close();
  });

  it('gives the same scores on raw rows as tfjs on standardised ones, through ae infer and ae serve', async () => {
    const rows = await readTable(csv, { preprocessing: table.preprocessing, testFraction: 1 });
    const tfjs = await reconstructionErrors(autoencoder, rows.test.data);
    const scoreOf = (i: number) => tfjs[i];

    // ae infer reads the CSV itself: raw values in, the graph standardises.
    const inferred = await inferFiles(join(dir, 'model.onnx'), [csv], { out: join(dir, 'codes.json') });
    expect(inferred.scores).toHaveLength(120);
    inferred.scores!.forEach((s, i) => expect(Math.abs(s - scoreOf(i))).toBeLessThan(1e-5 * Math.max(1, scoreOf(i))));
    expect(inferred.sources[0]).toBe('line-2');

    // ae serve takes raw rows as JSON (one-hot categories included).
    const raw = await readTable(csv, { preprocessing: table.preprocessing, testFraction: 1, standardize: false });
    const values = raw.test.data.batch([0, 1, 2, 3]);
    const inputs = (values.arraySync() as number[][]).map((r) => r.map(Number));
    values.dispose();
    expect(inputs[0][0]).toBeGreaterThan(100000);
    const models = await loadServedModels([join(dir, 'model.onnx')]);
    const app = await createServer({ models });
    try {
      const response = await app.inject({ method: 'POST', url: '/v1/models/model/score', payload: { inputs } });
      expect(response.statusCode).toBe(200);
      const { scores } = response.json() as { scores: number[] };
      scores.forEach((s, i) => expect(Math.abs(s - scoreOf(i))).toBeLessThan(1e-5 * Math.max(1, scoreOf(i))));
      // Reconstructions come back in raw units: the standardised tfjs reconstruction, unscaled.
      const rebuilt = await app.inject({ method: 'POST', url: '/v1/models/model/reconstruct', payload: { inputs: [inputs[0]] } });
      const [first] = (rebuilt.json() as { reconstructions: number[][] }).reconstructions;
      const { mean, std } = table.preprocessing.scaler;
      const expected = tf.tidy(() => Array.from(autoencoder.reconstruct(rows.test.data.batch([0])).dataSync(), (v, f) => v * std[f] + mean[f]));
      first.forEach((v, f) => expect(Math.abs(v - expected[f])).toBeLessThan(1e-4 * Math.max(1, Math.abs(expected[f]))));
    } finally {
      await app.close();
      await Promise.all(models.map((m) => m.close()));
    }
  });

  it('gives the same scores in a Triton repository: raw rows into the full model, then the error model weighted by the scaler', async () => {
    const repo = join(dir, 'model_repository');
    await exportTritonRun(dir, { out: repo, name: 'records' });
    const rows = await readTable(csv, { preprocessing: table.preprocessing, testFraction: 1 });
    const tfjs = await reconstructionErrors(autoencoder, rows.test.data);
    const raw = await readTable(csv, { preprocessing: table.preprocessing, testFraction: 1, standardize: false });
    const count = 5;
    const batch = raw.test.data.batch([0, 1, 2, 3, 4]);
    const input = { data: batch.dataSync() as Float32Array, shape: [count, 6] };
    batch.dispose();
    const full = await OnnxModel.load(join(repo, 'records', '1', 'model.onnx'));
    const mse = await OnnxModel.load(join(repo, 'records_mse', '1', 'model.onnx'));
    try {
      const reconstruction = await full.runFirst(input.data, count);
      const { score } = await mse.runFeeds({ input, reconstruction });
      expect(score.shape).toEqual([count, 1]);
      Array.from(score.data).forEach((s, i) => expect(Math.abs(s - tfjs[i])).toBeLessThan(1e-5 * Math.max(1, tfjs[i])));
    } finally {
      await full.close();
      await mse.close();
    }
  });
});
