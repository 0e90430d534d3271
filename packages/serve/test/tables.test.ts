// A model trained on a table takes raw rows (its scaler is in the graph),
// and its scores are the standardised errors: they can exceed what float32
// holds for rows far from the training data, so scores are FP64 on every
// route, and equal to what `ae infer` computes for the same rows.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { registry, useBackend } from '@aekit/core';
import { exportAutoencoder, inferFiles } from '@aekit/export-onnx';
import { plugin as dense } from '@aekit/models-dense';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, loadServedModels, type ServedModel } from '../src/index.js';

const scaler = { mean: [101300, 0.001, 0.5, 0, 0, 0], std: [900, 0.0005, 0.8, 1, 1, 1] };
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
  await writeFile(join(dir, 'records.onnx'), exportAutoencoder(autoencoder, { dataShape: [6], encoding: { scaler } }));
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
    await writeFile(join(dir, 'rows.json'), JSON.stringify(rows));
    const inferred = (await inferFiles(join(dir, 'records.onnx'), [join(dir, 'rows.json')])).scores!;
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
});
