// A model trained on a table takes raw rows (its scaler is in the graph),
// and its scores are the standardised errors: they can exceed what float32
// holds for rows far from the training data, so scores are FP64 on every
// route, and equal to what `ae infer` computes for the same rows. Raw rows
// as JSON objects go through the model's saved preprocessing on the server,
// as `ae infer` reads a table file.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fit, PREPROCESSING_VERSION, reconstructionErrors, registry, tf, useBackend, type Autoencoder, type TablePreprocessing } from '@aekit/core';
import { saveAutoencoder } from '@aekit/core/node';
import { exportAutoencoder, exportRun, inferFiles } from '@aekit/export-onnx';
import { plugin as dense } from '@aekit/models-dense';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, loadServedModels, type ServedModel } from '../src/index.js';

// The ae command registers the data packages as lazily imported readers; this import registers the table reader for the test.
import { readTable } from '@aekit/data-tables';

const scaler = { mean: [101300, 0.001, 0.5, 0, 0, 0], std: [900, 0.0005, 0.8, 1, 1, 1] };
const preprocessing: TablePreprocessing = {
  kind: 'table',
  version: PREPROCESSING_VERSION,
  columns: [
    { name: 'pressure', kind: 'numeric' },
    { name: 'flow', kind: 'numeric' },
    { name: 'ratio', kind: 'numeric' },
    { name: 'site', kind: 'categorical', categories: ['north', 'south', 'east'] },
  ],
  scaler,
  missing: 'skip',
};
let dir: string;
let models: ServedModel[];
let app: FastifyInstance;
const rows = [
  [101250, 0.0012, 0.2, 1, 0, 0],
  [102100, 0.0003, 1.4, 0, 1, 0],
  // Far from anything seen: its squared error in standard units is about 1e60 / 900², beyond float32.
  [1e30, 0.001, 0.5, 0, 0, 1],
];

beforeAll(async () => {
  await useBackend('wasm');
  registry.use(dense);
  const autoencoder = registry.create('dense', { latentDim: 2 }, { seed: 1, dataShape: [6] });
  dir = await mkdtemp(join(tmpdir(), 'aekit-serve-tables-'));
  await writeFile(join(dir, 'records.onnx'), exportAutoencoder(autoencoder, { dataShape: [6], preprocessing }));
  autoencoder.dispose();
  models = await loadServedModels([join(dir, 'records.onnx')]);
  app = await createServer({ models });
});

afterAll(async () => {
  await app.close();
  await Promise.all(models.map((m) => m.close()));
  await rm(dir, { recursive: true, force: true });
});

describe('a model trained on a table', () => {
  it('scores raw rows as ae infer does, in float64: a score beyond float32 is a number on /v1 and on V2, never null', async () => {
    // The same rows as a table file, which ae infer reads with the saved preprocessing.
    const sites = ['north', 'south', 'east'];
    const csv = ['pressure,flow,ratio,site', ...rows.map((r) => `${r.slice(0, 3).join(',')},${sites[r.indexOf(1, 3) - 3]}`)].join('\n');
    await writeFile(join(dir, 'rows.csv'), csv + '\n');
    const inferred = (await inferFiles(join(dir, 'records.onnx'), [join(dir, 'rows.csv')])).scores!;
    expect(inferred[2]).toBeGreaterThan(3.5e38);

    const v1 = (await app.inject({ method: 'POST', url: '/v1/models/records/score', payload: { inputs: rows } })).json().scores as number[];
    v1.forEach((s, i) => expect(Math.abs(s - inferred[i])).toBeLessThanOrEqual(1e-9 * Math.abs(inferred[i])));

    const v2 = await app.inject({
      method: 'POST',
      url: '/v2/models/records_score/infer',
      payload: { inputs: [{ name: 'input', shape: [3, 6], datatype: 'FP32', data: rows.flat() }] },
    });
    expect(v2.statusCode).toBe(200);
    const [output] = v2.json().outputs;
    expect(output).toMatchObject({ name: 'score', datatype: 'FP64', shape: [3, 1] });
    expect(output.data).toEqual(v1);
  });

  it('prepares raw rows sent as objects with the saved preprocessing, and names the row it cannot prepare', async () => {
    const objects = [
      { pressure: 101250, flow: 0.0012, ratio: 0.2, site: 'north' },
      { pressure: '102100', flow: 0.0003, ratio: 1.4, site: 'south', extra: 'ignored' },
    ];
    const inputs = (await app.inject({ method: 'POST', url: '/v1/models/records/score', payload: { inputs: rows.slice(0, 2) } })).json().scores;
    const raw = await app.inject({ method: 'POST', url: '/v1/models/records/score', payload: { items: objects } });
    expect(raw.statusCode).toBe(200);
    expect(raw.json().scores).toEqual(inputs);

    const bad = await app.inject({ method: 'POST', url: '/v1/models/records/score', payload: { items: [objects[0], { pressure: 1, flow: 2, site: 'north' }] } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toMatch(/^items\[1\]/);
    const notRow = await app.inject({ method: 'POST', url: '/v1/models/records/score', payload: { items: [42] } });
    expect(notRow.statusCode).toBe(400);
    expect(notRow.json().error).toMatch(/^items\[0\]: expected a table row/);
  });
});

describe('a model trained on a table file, exported by ae export', () => {
  let trained: Autoencoder;
  let csv: string;
  let table: Awaited<ReturnType<typeof readTable>>;

  beforeAll(async () => {
    const lines = ['pressure,flow,ratio,site'];
    for (let i = 0; i < 120; i++) {
      const t = (i * 0.37) % 1;
      lines.push(`${(101300 + 900 * Math.sin(7 * t) + (i % 5)).toFixed(1)},${(0.002 * t + 0.0001 * (i % 3)).toFixed(6)},${(3 * t - 1).toFixed(4)},${['north', 'south', 'east'][i % 3]}`);
    }
    csv = join(dir, 'records.csv');
    await writeFile(csv, lines.join('\n') + '\n');
    table = await readTable(csv, { seed: 2 });
    trained = registry.create('dense', { latentDim: 2 }, { seed: 1, dataShape: [6] });
    await fit(trained, table.train.data, { epochs: 2, batchSize: 16 });
    await saveAutoencoder(trained, join(dir, 'run', 'model'), [6], { preprocessing: table.preprocessing });
    await exportRun(join(dir, 'run'));
  });

  afterAll(() => trained.dispose());

  it('scores raw rows (as objects, or encoded in raw units) as tfjs on standardised ones and as ae infer, and reconstructs in raw units', async () => {
    const onnx = join(dir, 'run', 'model.onnx');
    const standardised = await readTable(csv, { preprocessing: table.preprocessing, testFraction: 1 });
    const tfjs = await reconstructionErrors(trained, standardised.test.data);
    const inferred = (await inferFiles(onnx, [csv])).scores!;
    const raw = await readTable(csv, { preprocessing: table.preprocessing, testFraction: 1, standardize: false });
    const values = raw.test.data.batch([0, 1, 2, 3]);
    const inputs = (values.arraySync() as number[][]).map((r) => r.map(Number));
    values.dispose();
    expect(inputs[0][0]).toBeGreaterThan(100000);
    // The same four rows as the client has them: the file's text, column by column.
    const objects = (await readFile(csv, 'utf8'))
      .trim()
      .split('\n')
      .slice(1, 5)
      .map((line) => {
        const [pressure, flow, ratio, site] = line.split(',');
        return { pressure, flow, ratio, site };
      });
    const served = await loadServedModels([onnx]);
    const server = await createServer({ models: served });
    try {
      for (const payload of [{ inputs }, { items: objects }]) {
        const response = await server.inject({ method: 'POST', url: '/v1/models/model/score', payload });
        expect(response.statusCode).toBe(200);
        const { scores } = response.json() as { scores: number[] };
        scores.forEach((s, i) => {
          expect(Math.abs(s - tfjs[i])).toBeLessThan(1e-5 * Math.max(1, tfjs[i]));
          expect(Math.abs(s - inferred[i])).toBeLessThan(1e-5 * Math.max(1, inferred[i]));
        });
      }
      // Reconstructions come back in raw units: the standardised tfjs reconstruction, unscaled.
      const rebuilt = await server.inject({ method: 'POST', url: '/v1/models/model/reconstruct', payload: { inputs: [inputs[0]] } });
      const [first] = (rebuilt.json() as { reconstructions: number[][] }).reconstructions;
      const { mean, std } = table.preprocessing.scaler;
      const expected = tf.tidy(() => Array.from(trained.reconstruct(standardised.test.data.batch([0])).dataSync(), (v, f) => v * std[f] + mean[f]));
      first.forEach((v, f) => expect(Math.abs(v - expected[f])).toBeLessThan(1e-4 * Math.max(1, Math.abs(expected[f]))));
    } finally {
      await server.close();
      await Promise.all(served.map((m) => m.close()));
    }
  });
});
