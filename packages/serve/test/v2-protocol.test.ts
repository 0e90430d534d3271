import { rm } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, loadServedModels, type ServedModel } from '../src/index.js';
import { DATA_SHAPE, ITEM, maxAbsDiff, metricValue, type ServedFixture, writeServedModels } from './server-fixture.js';

let fixture: ServedFixture;
let models: ServedModel[];
let app: FastifyInstance;
const probe = Float32Array.from({ length: 2 * ITEM }, (_, i) => (i % 9) / 9);

/** POSTs a V2 inference request as JSON. */
function infer(model: string, body: unknown, headers: Record<string, string> = {}) {
  const payload = typeof body === 'string' ? body : JSON.stringify(body);
  return app.inject({ method: 'POST', url: `/v2/models/${model}/infer`, payload, headers: { 'content-type': 'application/json', ...headers } });
}

/** A JSON header followed by binary tensor data, as the binary data extension sends it. */
function binaryBody(header: unknown, ...tensors: Float32Array[]): { payload: Buffer; headers: Record<string, string> } {
  const json = Buffer.from(JSON.stringify(header));
  const payload = Buffer.concat([json, ...tensors.map((t) => Buffer.from(t.buffer, t.byteOffset, t.byteLength))]);
  return { payload, headers: { 'content-type': 'application/octet-stream', 'inference-header-content-length': String(json.length) } };
}

/** Splits a binary-extension response into its JSON and the float32 values of each binary output. */
function readBinaryResponse(
  body: Buffer,
  headerLength: number,
): { json: { outputs: { name: string; datatype: string; shape: number[]; parameters?: { binary_data_size?: number }; data?: number[] }[] }; tensors: (Float32Array | Float64Array)[] } {
  const json = JSON.parse(body.subarray(0, headerLength).toString('utf8'));
  let offset = headerLength;
  const tensors: (Float32Array | Float64Array)[] = [];
  for (const output of json.outputs) {
    const size = output.parameters?.binary_data_size;
    if (size === undefined) continue;
    const bytes = body.buffer.slice(body.byteOffset + offset, body.byteOffset + offset + size);
    tensors.push(output.datatype === 'FP64' ? new Float64Array(bytes) : new Float32Array(bytes));
    offset += size;
  }
  expect(offset).toBe(body.length);
  return { json, tensors };
}

async function modelCalls(model: string): Promise<number> {
  return metricValue((await app.inject({ method: 'GET', url: '/metrics' })).body, 'ae_batch_size_count', { model });
}

beforeAll(async () => {
  fixture = await writeServedModels();
  models = await loadServedModels([fixture.dir]);
  app = await createServer({ models, maxBatch: 16 });
});

afterAll(async () => {
  await app.close();
  await Promise.all(models.map((m) => m.close()));
  await rm(fixture.dir, { recursive: true, force: true });
});

describe('health and metadata', () => {
  it('GET /v2: server metadata with the binary data extension', async () => {
    const response = await app.inject({ method: 'GET', url: '/v2' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ name: '@aekit/serve', version: expect.stringMatching(/^\d+\.\d+\.\d+/), extensions: ['binary_tensor_data', 'model_configuration'] });
  });

  it('GET /v2/ (the OpenAPI path) is the same server metadata', async () => {
    const [plain, slash] = await Promise.all(['/v2', '/v2/'].map((url) => app.inject({ method: 'GET', url })));
    expect(slash.statusCode).toBe(200);
    expect(slash.json()).toEqual(plain.json());
  });

  it('live, ready and model ready: 200 with the bodies the protocol text defines; an unknown model 404 with an error body', async () => {
    const bodies: [string, unknown][] = [
      ['/v2/health/live', { live: true }],
      ['/v2/health/ready', { ready: true }],
      ['/v2/models/conv/ready', { name: 'conv', ready: true }],
      ['/v2/models/conv/versions/1/ready', { name: 'conv', ready: true }],
      ['/v2/models/vae_encoder/ready', { name: 'vae_encoder', ready: true }],
    ];
    for (const [url, body] of bodies) {
      const response = await app.inject({ method: 'GET', url });
      expect([url, response.statusCode, response.headers['content-type'], response.json()]).toEqual([url, 200, 'application/json', body]);
    }
    const missing = await app.inject({ method: 'GET', url: '/v2/models/nope/ready' });
    expect(missing.statusCode).toBe(404);
    // Exactly application/json: KServe's client reads the error message only then.
    expect(missing.headers['content-type']).toBe('application/json');
    expect(missing.json()).toEqual({ error: expect.stringContaining("unknown model 'nope'") });
  });

  it('GET /v2/models/<name>: name, versions, platform, inputs and outputs with -1 for the batch', async () => {
    const meta = async (name: string) => (await app.inject({ method: 'GET', url: `/v2/models/${name}` })).json();
    expect(await meta('conv')).toEqual({
      name: 'conv',
      versions: ['1'],
      platform: 'onnxruntime_onnx',
      inputs: [{ name: 'input', datatype: 'FP32', shape: [-1, ...DATA_SHAPE] }],
      outputs: [{ name: 'reconstruction', datatype: 'FP32', shape: [-1, ...DATA_SHAPE] }],
    });
    expect((await meta('conv_encoder')).outputs).toEqual([{ name: 'code', datatype: 'FP32', shape: [-1, 2, 2, 2] }]);
    expect((await meta('conv_decoder')).inputs).toEqual([{ name: 'code', datatype: 'FP32', shape: [-1, 2, 2, 2] }]);
    // Scores are FP64: the squared errors of raw rows can exceed float32's range.
    expect((await meta('conv_score')).outputs).toEqual([{ name: 'score', datatype: 'FP64', shape: [-1, 1] }]);
    // As in the Triton repository, where the score is an ensemble.
    expect((await meta('conv_score')).platform).toBe('ensemble');
    expect((await meta('vae_encoder')).outputs.map((o: { name: string }) => o.name)).toEqual(['mean', 'logVar']);
    // The VAE's full model names what it holds: the reconstruction of the mean, the mean, the log-variance.
    expect((await meta('vae')).outputs.map((o: { name: string }) => o.name)).toEqual(['reconstruction', 'mean', 'logVar']);
    expect(await meta('conv/versions/1')).toEqual(await meta('conv'));
  });

  it("GET /v2/models/<name>/config: Triton's model configuration, as the Triton repository's config.pbtxt has it", async () => {
    const config = async (name: string) => (await app.inject({ method: 'GET', url: `/v2/models/${name}/config` })).json();
    expect(await config('conv')).toEqual({
      name: 'conv',
      platform: 'onnxruntime_onnx',
      max_batch_size: 16,
      input: [{ name: 'input', data_type: 'TYPE_FP32', dims: DATA_SHAPE }],
      output: [{ name: 'reconstruction', data_type: 'TYPE_FP32', dims: DATA_SHAPE }],
      dynamic_batching: { max_queue_delay_microseconds: 0, default_queue_policy: { max_queue_size: 128 } },
    });
    expect((await config('vae')).output.map((o: { name: string; dims: number[] }) => [o.name, o.dims])).toEqual([
      ['reconstruction', [ITEM]],
      ['mean', [2]],
      ['logVar', [2]],
    ]);
    const score = await config('conv_score');
    expect(score).toMatchObject({ platform: 'ensemble', output: [{ name: 'score', data_type: 'TYPE_FP64', dims: [1] }] });
    expect(score.ensemble_scheduling.step.map((s: { model_name: string }) => s.model_name)).toEqual(['conv', 'conv_mse']);
    expect(await config('conv/versions/1')).toEqual(await config('conv'));
    expect((await app.inject({ method: 'GET', url: '/v2/models/nope/config' })).statusCode).toBe(404);
  });

  it('unknown models and versions get 404 with the error body', async () => {
    for (const url of ['/v2/models/nope', '/v2/models/conv/versions/2', '/v2/models/conv/versions/2/ready']) {
      const response = await app.inject({ method: 'GET', url });
      expect(response.statusCode).toBe(404);
      expect(Object.keys(response.json())).toEqual(['error']);
    }
    const post = await infer('nope', { inputs: [] });
    expect(post.statusCode).toBe(404);
    expect(post.json().error).toMatch(/unknown model 'nope'; serving conv, conv_encoder, conv_decoder, conv_score, vae/);
  });
});

describe('inference with JSON tensors', () => {
  it('answers the spec example shape: id echoed, outputs with name, datatype, shape and data; tfjs numbers', async () => {
    const response = await infer('conv', {
      id: '42',
      inputs: [{ name: 'input', shape: [2, ...DATA_SHAPE], datatype: 'FP32', data: Array.from(probe) }],
      outputs: [{ name: 'reconstruction' }],
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    const body = response.json();
    expect(Object.keys(body).sort()).toEqual(['id', 'model_name', 'model_version', 'outputs']);
    expect(body).toMatchObject({ model_name: 'conv', model_version: '1', id: '42' });
    expect(body.outputs.map((o: { name: string; datatype: string; shape: number[] }) => [o.name, o.datatype, o.shape])).toEqual([['reconstruction', 'FP32', [2, ...DATA_SHAPE]]]);
    expect(maxAbsDiff(body.outputs[0].data, fixture.reconstruct(probe, 2))).toBeLessThan(1e-5);
  });

  it('takes data nested in the tensor shape as well as flat, at the versioned URL too; no id, no id back', async () => {
    const nested = Array.from({ length: 2 }, (_, n) => Array.from({ length: 8 }, (_, h) => Array.from({ length: 8 }, (_, w) => [probe[n * 64 + h * 8 + w]])));
    const response = await app.inject({
      method: 'POST',
      url: '/v2/models/conv/versions/1/infer',
      payload: JSON.stringify({ inputs: [{ name: 'input', shape: [2, 8, 8, 1], datatype: 'FP32', data: nested }] }),
      headers: { 'content-type': 'application/json' },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json().id).toBeUndefined();
    expect(maxAbsDiff(response.json().outputs[0].data, fixture.reconstruct(probe, 2))).toBeLessThan(1e-5);
  });

  it('returns every output unless asked for some: a VAE encoder gives mean and logVar, or just the one requested', async () => {
    // The VAE fixture takes flat items of 64 values.
    const input = { name: 'input', shape: [1, ITEM], datatype: 'FP32', data: Array.from(probe.subarray(0, ITEM)) };
    const all = (await infer('vae_encoder', { inputs: [input] })).json();
    expect(all.outputs.map((o: { name: string; shape: number[] }) => [o.name, o.shape])).toEqual([
      ['mean', [1, 2]],
      ['logVar', [1, 2]],
    ]);
    const one = (await infer('vae_encoder', { inputs: [input], outputs: [{ name: 'logVar' }] })).json();
    expect(one.outputs.map((o: { name: string }) => o.name)).toEqual(['logVar']);
    expect(one.outputs[0].data).toEqual(all.outputs[1].data);
  });

  it('the score model gives the same scores as /v1/models/<name>/score; decoder(encoder(x)) equals the full model', async () => {
    const input = { name: 'input', shape: [2, 8, 8, 1], datatype: 'FP32', data: Array.from(probe) };
    const v2 = (await infer('conv_score', { inputs: [input] })).json();
    const rows = [Array.from(probe.subarray(0, ITEM)), Array.from(probe.subarray(ITEM))];
    const v1 = (await app.inject({ method: 'POST', url: '/v1/models/conv/score', payload: { inputs: rows } })).json();
    expect(v2.outputs[0].shape).toEqual([2, 1]);
    expect(maxAbsDiff(v2.outputs[0].data, v1.scores)).toBeLessThan(1e-6);
    const code = (await infer('conv_encoder', { inputs: [input] })).json().outputs[0];
    const decoded = (await infer('conv_decoder', { inputs: [{ name: 'code', shape: code.shape, datatype: 'FP32', data: code.data }] })).json();
    expect(maxAbsDiff(decoded.outputs[0].data, fixture.reconstruct(probe, 2))).toBeLessThan(1e-5);
  });

  it('answers a request without a content type (clients need not send one)', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/v2/models/conv/infer',
      payload: Buffer.from(JSON.stringify({ inputs: [{ name: 'input', shape: [1, 8, 8, 1], datatype: 'FP32', data: Array(ITEM).fill(0.5) }] })),
    });
    expect(response.statusCode).toBe(200);
  });
});

describe('binary data extension', () => {
  it('round trip: binary input, binary output (binary_data_output), same numbers as JSON', async () => {
    const { payload, headers } = binaryBody(
      { id: 'b1', parameters: { binary_data_output: true }, inputs: [{ name: 'input', shape: [2, 8, 8, 1], datatype: 'FP32', parameters: { binary_data_size: probe.byteLength } }] },
      probe,
    );
    const response = await app.inject({ method: 'POST', url: '/v2/models/conv/infer', payload, headers });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/octet-stream');
    const headerLength = Number(response.headers['inference-header-content-length']);
    const { json, tensors } = readBinaryResponse(response.rawPayload, headerLength);
    expect(json).toMatchObject({ model_name: 'conv', id: 'b1' });
    expect(json.outputs).toEqual([{ name: 'reconstruction', datatype: 'FP32', shape: [2, 8, 8, 1], parameters: { binary_data_size: 2 * ITEM * 4 } }]);
    expect(maxAbsDiff(tensors[0], fixture.reconstruct(probe, 2))).toBeLessThan(1e-5);
  });

  it('per-output binary_data overrides the request default; JSON outputs keep their data', async () => {
    const input = probe.subarray(0, ITEM);
    const { payload, headers } = binaryBody(
      {
        inputs: [{ name: 'input', shape: [1, ITEM], datatype: 'FP32', parameters: { binary_data_size: input.byteLength } }],
        outputs: [{ name: 'mean', parameters: { binary_data: false } }, { name: 'logVar', parameters: { binary_data: true } }],
      },
      input,
    );
    const response = await app.inject({ method: 'POST', url: '/v2/models/vae_encoder/infer', payload, headers });
    const { json, tensors } = readBinaryResponse(response.rawPayload, Number(response.headers['inference-header-content-length']));
    const plain = (await infer('vae_encoder', { inputs: [{ name: 'input', shape: [1, ITEM], datatype: 'FP32', data: Array.from(input) }] })).json();
    expect(json.outputs[0].data).toEqual(plain.outputs[0].data);
    expect(json.outputs[1].data).toBeUndefined();
    expect(Array.from(tensors[0])).toEqual(plain.outputs[1].data);
  });

  it('JSON input with binary output only (no Inference-Header-Content-Length in the request)', async () => {
    const response = await infer('conv_score', {
      inputs: [{ name: 'input', shape: [2, 8, 8, 1], datatype: 'FP32', data: Array.from(probe) }],
      outputs: [{ name: 'score', parameters: { binary_data: true } }],
    });
    const { json, tensors } = readBinaryResponse(response.rawPayload, Number(response.headers['inference-header-content-length']));
    expect(json.outputs[0]).toMatchObject({ name: 'score', datatype: 'FP64', shape: [2, 1], parameters: { binary_data_size: 16 } });
    expect(tensors[0]).toBeInstanceOf(Float64Array);
    expect(tensors[0].length).toBe(2);
  });
});

describe('bad tensors get 400 with {"error"} and never reach the model', () => {
  const good = () => ({ name: 'input', shape: [1, 8, 8, 1], datatype: 'FP32', data: Array(ITEM).fill(0.25) as unknown[] });
  const cases: [string, string | object, RegExp][] = [
    ['malformed JSON', '{"inputs": [', /not valid JSON/],
    ['a body that is not an object', '[1, 2]', /body: /],
    ['no inputs', { id: 'x' }, /^inputs: /],
    ['an unknown input name', { inputs: [{ ...good(), name: 'image' }] }, /unexpected inference input 'image'; the model's only input is 'input'/],
    ['the input twice', { inputs: [good(), good()] }, /given 2 times/],
    ['a wrong datatype', { inputs: [{ ...good(), datatype: 'FP64' }] }, /datatype "FP64" does not match the model's FP32/],
    ['a datatype outside the protocol', { inputs: [{ ...good(), datatype: 'float' }] }, /not a V2 datatype/],
    ['a shape of the wrong rank', { inputs: [{ ...good(), shape: [1, 64] }] }, /shape \[1,64\] does not match the model's \[-1,8,8,1\]/],
    ['a shape with a wrong dimension', { inputs: [{ ...good(), shape: [1, 8, 4, 2] }] }, /does not match/],
    ['a negative dimension', { inputs: [{ ...good(), shape: [-1, 8, 8, 1] }] }, /inputs\[0\]\.shape\[0\]/],
    ['a batch of 0', { inputs: [{ ...good(), shape: [0, 8, 8, 1], data: [] }] }, /batch of 0 is outside 1 to 16/],
    ['a batch over the limit', { inputs: [{ ...good(), shape: [17, 8, 8, 1], data: Array(17 * ITEM).fill(0) }] }, /batch of 17 is outside 1 to 16/],
    ['too few values', { inputs: [{ ...good(), data: Array(ITEM - 1).fill(0) }] }, /data has 63 elements; shape \[1,8,8,1\] needs 64/],
    ['too many values', { inputs: [{ ...good(), data: Array(ITEM + 1).fill(0) }] }, /data has 65 elements/],
    ['nested data of the wrong shape', { inputs: [{ ...good(), data: [Array(8).fill(Array(8).fill([0]))].concat([[]]) }] }, /data must be an array of 1/],
    ['a string value', { inputs: [{ ...good(), data: ['a', ...Array(ITEM - 1).fill(0)] }] }, /data\[0\]: expected a finite number, got the string "a"/],
    ['a null value', { inputs: [{ ...good(), data: [...Array(ITEM - 1).fill(0), null] }] }, /data\[63\]: expected a finite number, got null/],
    ['a boolean value', { inputs: [{ ...good(), data: [true, ...Array(ITEM - 1).fill(0)] }] }, /got true/],
    ['an infinite value', `{"inputs":[{"name":"input","shape":[1,8,8,1],"datatype":"FP32","data":[1e999${',0'.repeat(ITEM - 1)}]}]}`, /got Infinity/],
    ['no data', { inputs: [{ ...good(), data: undefined }] }, /expected data/],
    ['an unknown output', { inputs: [good()], outputs: [{ name: 'code' }] }, /outputs\[0\]: unexpected inference output 'code'/],
    ['an output asked for twice', { inputs: [good()], outputs: [{ name: 'reconstruction' }, { name: 'reconstruction' }] }, /outputs\[1\]: output 'reconstruction' is already requested by outputs\[0\]/],
    ['a value beyond float32', `{"inputs":[{"name":"input","shape":[1,8,8,1],"datatype":"FP32","data":[-1e39${',0'.repeat(ITEM - 1)}]}]}`, /data\[0\]: -1e\+39 is beyond float32's range/],
    ['shared memory (an extension not served)', { inputs: [{ ...good(), parameters: { shared_memory_region: 'r' } }] }, /shared memory extension is not supported/],
    ['classification (an extension not served)', { inputs: [good()], outputs: [{ name: 'reconstruction', parameters: { classification: 3 } }] }, /classification extension is not supported/],
    ['a non-boolean binary_data', { inputs: [good()], outputs: [{ name: 'reconstruction', parameters: { binary_data: 'yes' } }] }, /binary_data: expected true or false/],
    ['an id that is not a string', { id: 42, inputs: [good()] }, /^id: /],
    ['a parameter that is an object', { parameters: { a: {} }, inputs: [good()] }, /^parameters\.a: /],
  ];
  for (const [what, body, message] of cases) {
    it(what, async () => {
      const before = await modelCalls('conv');
      const response = await infer('conv', body);
      expect(response.statusCode).toBe(400);
      expect(response.headers['content-type']).toBe('application/json');
      expect(Object.keys(response.json())).toEqual(['error']);
      expect(response.json().error).toMatch(message);
      expect(await modelCalls('conv')).toBe(before);
    });
  }

  it('binary data: wrong size, NaN, size and data both, missing bytes, extra bytes, a header longer than the body', async () => {
    const header = (size: number, extra: object = {}) => ({ inputs: [{ name: 'input', shape: [1, 8, 8, 1], datatype: 'FP32', parameters: { binary_data_size: size }, ...extra }] });
    const values = new Float32Array(ITEM).fill(0.5);
    const nan = Float32Array.from(values, (v, i) => (i === 10 ? Number.NaN : v));
    const requests: [{ payload: Buffer; headers: Record<string, string> }, RegExp][] = [
      [binaryBody(header(100), values), /binary_data_size is 100 bytes; shape \[1,8,8,1\] of FP32 needs 256/],
      [binaryBody(header(256), nan), /binary element 10 is NaN/],
      [binaryBody(header(256, { data: Array(ITEM).fill(0) }), values), /either data or parameters\.binary_data_size, not both/],
      [binaryBody(header(256), values.subarray(0, 10)), /holds 40 bytes of binary data after the JSON header, binary_data_size says 256/],
      [binaryBody(header(256), values, values), /holds 512 bytes/],
      [binaryBody({ inputs: [{ name: 'input', shape: [1, 8, 8, 1], datatype: 'FP32', data: Array(ITEM).fill(0) }] }, values), /256 bytes after the JSON header but no input has parameters\.binary_data_size/],
    ];
    const tooLong = binaryBody(header(256), values);
    tooLong.headers['inference-header-content-length'] = String(tooLong.payload.length + 1);
    requests.push([tooLong, /Inference-Header-Content-Length: expected a byte count from 0 to the body's/]);
    const before = await modelCalls('conv');
    for (const [{ payload, headers }, message] of requests) {
      const response = await app.inject({ method: 'POST', url: '/v2/models/conv/infer', payload, headers });
      expect(response.statusCode).toBe(400);
      expect(response.json().error).toMatch(message);
    }
    expect(await modelCalls('conv')).toBe(before);
  });
});
