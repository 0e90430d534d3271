// The Open Inference Protocol's Python clients against `ae serve`:
// test/clients/protocol_clients.py sends the requests tritonclient.http and
// KServe's InferenceRESTClient send, and reads the answers as they do
// (Triton's client treats any status but 200 as an error and reads its
// "error"; KServe's reads health bodies as JSON and an error's message only
// when the content type is exactly application/json). Needs a Python with
// numpy (Debian's python3-onnx brings it), else the test is skipped with a
// message.
import { spawn, spawnSync } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveModels, type RunningServer } from '../src/index.js';
import { DATA_SHAPE, ITEM, maxAbsDiff, writeServedModels, type ServedFixture } from './server-fixture.js';

interface Listed {
  dtype: string;
  shape: number[];
  values: number[];
}

/** A Python interpreter that can `import numpy`, or undefined. */
function pythonWithNumpy(): string | undefined {
  for (const candidate of ['/usr/bin/python3', 'python3']) {
    if (spawnSync(candidate, ['-c', 'import numpy'], { stdio: 'ignore' }).status === 0) return candidate;
  }
  return undefined;
}

const python = pythonWithNumpy();
let fixture: ServedFixture;
let running: RunningServer;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
let report: any;
const images = Float32Array.from({ length: 2 * ITEM }, (_, i) => (i % 9) / 9);

beforeAll(async () => {
  if (!python) return;
  fixture = await writeServedModels();
  running = await serveModels([fixture.dir], { port: 0, maxBatch: 16 });
  const script = fileURLToPath(new URL('./clients/protocol_clients.py', import.meta.url));
  // Asynchronous, so the server in this process keeps answering.
  const child = spawn(python, [script, running.url], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (c) => (out += c));
  child.stderr.on('data', (c) => (err += c));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (code !== 0) throw new Error(`protocol_clients.py exited ${code}: ${err}`);
  report = JSON.parse(out);
});

afterAll(async () => {
  await running?.close();
  if (fixture) await rm(fixture.dir, { recursive: true, force: true });
});

describe.skipIf(!python)("the Python clients' calls, reproduced (tritonclient.http, KServe's InferenceRESTClient)", () => {
  it('tritonclient: health by status, server and model metadata, the model configuration', () => {
    const t = report.triton;
    expect([t.live, t.ready, t.model_ready]).toEqual([true, true, [true, true, false]]);
    expect(t.server_metadata.extensions).toEqual(expect.arrayContaining(['binary_tensor_data', 'model_configuration']));
    expect(t.model_metadata).toMatchObject({ name: 'conv_score', platform: 'ensemble', outputs: [{ name: 'score', datatype: 'FP64', shape: [-1, 1] }] });
    expect(t.model_config).toMatchObject({
      name: 'conv',
      platform: 'onnxruntime_onnx',
      max_batch_size: 16,
      input: [{ name: 'input', data_type: 'TYPE_FP32', dims: DATA_SHAPE }],
      output: [{ name: 'reconstruction', data_type: 'TYPE_FP32', dims: DATA_SHAPE }],
    });
  });

  it('tritonclient: infer with binary inputs and outputs, JSON both ways, the FP64 score, a VAE encoder mixing both, and an error message', () => {
    const t = report.triton;
    const expected = fixture.reconstruct(images, 2);
    const binary: Listed = t.binary_all_outputs.reconstruction;
    expect([binary.dtype, binary.shape]).toEqual(['float32', [2, ...DATA_SHAPE]]);
    expect(maxAbsDiff(binary.values, expected)).toBeLessThan(1e-5);
    expect(t.json).toMatchObject({ id: '7', model_name: 'conv' });
    expect(t.json.reconstruction.values).toEqual(binary.values);
    const score: Listed = t.score.score;
    expect([score.dtype, score.shape]).toEqual(['float64', [2, 1]]);
    const mse = (i: number) => images.subarray(i * ITEM, (i + 1) * ITEM).reduce((s, v, j) => s + (v - expected[i * ITEM + j]) ** 2, 0) / ITEM;
    score.values.forEach((s, i) => expect(s).toBeCloseTo(mse(i), 6));
    expect(Object.keys(t.vae)).toEqual(['mean', 'logVar']);
    expect(t.vae.mean.shape).toEqual([2, 2]);
    expect(t.error).toMatch(/unexpected inference input 'image'; the model's only input is 'input'/);
  });

  it("KServe: health bodies read as JSON, model ready by status, JSON and binary inference, the server's error messages", () => {
    const k = report.kserve;
    expect([k.live, k.ready, k.model_ready]).toEqual([true, true, [true, false]]);
    expect(maxAbsDiff(k.json.reconstruction.values, fixture.reconstruct(images, 2))).toBeLessThan(1e-5);
    expect(k.binary.reconstruction).toEqual(report.triton.binary_all_outputs.reconstruction);
    expect(k.score.score).toEqual(report.triton.score.score);
    expect(k.error).toMatch(/^input 'input': shape \[2,64\] does not match the model's \[-1,8,8,1\], '400'$/);
    expect(k.duplicate_outputs_error).toMatch(/output 'reconstruction' is already requested by outputs\[0\]/);
  });
});
