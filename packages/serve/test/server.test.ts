import { mkdir, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { join } from 'node:path';
import { ConfigError, createRng, registry, type CommandIO, runPluginCommand } from '@aekit/core';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportAutoencoder, float32Bytes } from '@aekit/export-onnx';
import { createServeCommand, createServer, loadServedModels, serveModels, type RunningServer, type ServedModel } from '../src/index.js';
import { DATA_SHAPE, ITEM, maxAbsDiff, writeServedModels } from './server-fixture.js';

let dir: string;
let models: ServedModel[];
let app: FastifyInstance;
/** tfjs' reconstructions of the probe items, to check the server's numbers. */
let expected: Float32Array;
const probe = Float32Array.from({ length: 2 * ITEM }, (_, i) => (i % 7) / 7);

async function post(url: string, payload: unknown, headers: Record<string, string> = {}) {
  const body = payload instanceof Uint8Array ? Buffer.from(payload) : typeof payload === 'string' ? payload : JSON.stringify(payload);
  const contentType = payload instanceof Uint8Array ? 'application/octet-stream' : 'application/json';
  return app.inject({ method: 'POST', url, payload: body, headers: { 'content-type': contentType, ...headers } });
}

function items(data: Float32Array, count: number): number[][] {
  return Array.from({ length: count }, (_, i) => Array.from(data.subarray(i * ITEM, (i + 1) * ITEM)));
}

beforeAll(async () => {
  // conv and vae, all three parts each (the fixture the V2 and batching tests use); half: an encoder only.
  const served = await writeServedModels();
  dir = served.dir;
  expected = served.reconstruct(probe, 2);
  const vae = registry.create('vae', { hidden: [12], latentDim: 2 }, { seed: 5, dataShape: DATA_SHAPE });
  await mkdir(join(dir, 'other'));
  await writeFile(join(dir, 'other', 'half.encoder.onnx'), exportAutoencoder(vae, { part: 'encoder' }));
  vae.dispose();
  models = await loadServedModels([dir, join(dir, 'other', 'half.encoder.onnx')]);
  app = await createServer({ models, maxBatch: 16 });
});

afterAll(async () => {
  await app.close();
  await Promise.all(models.map((m) => m.close()));
  await rm(dir, { recursive: true, force: true });
});

describe('models', () => {
  it('groups files by name into full, encoder and decoder parts', () => {
    expect(models.map((m) => [m.name, Object.keys(m.parts).sort(), m.actions])).toEqual([
      ['conv', ['decoder', 'encoder', 'full'], ['reconstruct', 'encode', 'decode', 'score']],
      ['vae', ['decoder', 'encoder', 'full'], ['reconstruct', 'encode', 'decode', 'score']],
      ['half', ['encoder'], ['encode']],
    ]);
  });

  it('refuses two files for the same part of one model', async () => {
    await mkdir(join(dir, 'twice'));
    await writeFile(join(dir, 'twice', 'conv.onnx'), new Uint8Array(0));
    await expect(loadServedModels([join(dir, 'conv.onnx'), join(dir, 'conv.encoder.onnx'), join(dir, 'conv.encoder.onnx')])).rejects.toThrow(
      /are the encoder of model 'conv'/,
    );
    await expect(loadServedModels([join(dir, 'twice', 'conv.onnx')])).rejects.toThrow(/conv\.onnx: has no aekit checksum/);
    await expect(loadServedModels([join(dir, 'twice', 'conv.onnx')], { allowUnsigned: true })).rejects.toThrow(/conv\.onnx: (is not an ONNX model|onnxruntime cannot load it)/);
    await rm(join(dir, 'twice'), { recursive: true });
  });
});

describe('routes', () => {
  it('GET /health', async () => {
    const response = await app.inject({ method: 'GET', url: '/health' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok', models: ['conv', 'vae', 'half'] });
  });

  it('GET /v1/models/<name> describes the model', async () => {
    const response = await app.inject({ method: 'GET', url: '/v1/models/vae' });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({ name: 'vae', family: 'vae', config: { latentDim: 2, hidden: [12] }, inputShape: [64], latentShape: [2], dataShape: DATA_SHAPE, maxBatch: 16 });
    expect(body.parts.encoder.outputs).toEqual([
      { name: 'mean', shape: [null, 2] },
      { name: 'logVar', shape: [null, 2] },
    ]);
    expect((await app.inject({ method: 'GET', url: '/v1/models' })).json().models).toHaveLength(3);
  });

  it('POST reconstruct (JSON) gives tfjs’ reconstruction', async () => {
    const response = await post('/v1/models/conv/reconstruct', { inputs: items(probe, 2) });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.shape).toEqual([2, 8, 8, 1]);
    expect(body.count).toBe(2);
    expect(maxAbsDiff(body.reconstructions.flat(), expected)).toBeLessThan(1e-4);
  });

  it('accepts items nested in the item shape as well as flat', async () => {
    const nested = items(probe, 2).map((flat) => Array.from({ length: 8 }, (_, r) => Array.from({ length: 8 }, (_, c) => [flat[r * 8 + c]])));
    const response = await post('/v1/models/conv/reconstruct', { inputs: nested });
    expect(response.statusCode).toBe(200);
    expect(maxAbsDiff(response.json().reconstructions.flat(), expected)).toBeLessThan(1e-4);
  });

  it('POST reconstruct (binary float32) answers binary with its shape', async () => {
    const response = await post('/v1/models/conv/reconstruct', float32Bytes(probe));
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/octet-stream');
    expect(response.headers['x-shape']).toBe('2,8,8,1');
    expect(response.headers['x-datatype']).toBe('FP32');
    const raw = response.rawPayload;
    const values = Float32Array.from({ length: raw.length / 4 }, (_, i) => raw.readFloatLE(i * 4));
    expect(maxAbsDiff(values, expected)).toBeLessThan(1e-4);
  });

  it('POST encode gives a VAE’s mean as codes and both outputs by name', async () => {
    const response = await post('/v1/models/vae/encode', { inputs: items(probe, 2) });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.shape).toEqual([2, 2]);
    expect(body.codes).toEqual(body.outputs.mean);
    expect(body.outputs.logVar).toHaveLength(2);
  });

  it('POST decode turns codes into reconstructions; decode(encode(x)) equals reconstruct(x)', async () => {
    const codes = (await post('/v1/models/conv/encode', { inputs: items(probe, 2) })).json();
    expect(codes.shape).toEqual([2, 2, 2, 2]);
    const decoded = await post('/v1/models/conv/decode', { inputs: codes.codes });
    expect(decoded.statusCode).toBe(200);
    expect(maxAbsDiff(decoded.json().reconstructions.flat(), expected)).toBeLessThan(1e-4);
  });

  it('POST score gives each item’s mean squared reconstruction error', async () => {
    const response = await post('/v1/models/conv/score', { inputs: items(probe, 2) });
    const { scores } = response.json();
    const mse = (i: number) => probe.subarray(i * ITEM, (i + 1) * ITEM).reduce((s, v, j) => s + (v - expected[i * ITEM + j]) ** 2, 0) / ITEM;
    expect(scores).toHaveLength(2);
    scores.forEach((s: number, i: number) => expect(s).toBeCloseTo(mse(i), 5));
    // Binary scores are float64, as the V2 score's FP64.
    const binary = await post('/v1/models/conv/score', float32Bytes(probe));
    expect(binary.headers['x-shape']).toBe('2');
    expect(binary.headers['x-datatype']).toBe('FP64');
    expect(binary.rawPayload.readDoubleLE(8)).toBe(scores[1]);
  });

  it('takes any batch size up to the limit', async () => {
    for (const n of [1, 16]) {
      const data = Float32Array.from({ length: n * ITEM }, (_, i) => (i % 5) / 5);
      const response = await post('/v1/models/vae/reconstruct', { inputs: items(data, n) });
      expect(response.statusCode).toBe(200);
      expect(response.json().shape).toEqual([n, 64]);
    }
  });
});

describe('bad requests get a clear 4xx', () => {
  const cases: [string, string, unknown, number, RegExp][] = [
    ['wrong item size', '/v1/models/conv/reconstruct', { inputs: [[1, 2, 3]] }, 400, /inputs\[0\]: expected 64 numbers or an array of shape \[8,8,1\], got an array of 3/],
    ['wrong nested shape', '/v1/models/conv/reconstruct', { inputs: [Array(8).fill(Array(7).fill([0]))] }, 400, /inputs\[0\]\[0\]: expected 8 entries/],
    ['strings', '/v1/models/vae/encode', { inputs: [Array(64).fill('0.5')] }, 400, /inputs\[0\]\[0\]: expected a finite number, got the string "0.5"/],
    ['null values', '/v1/models/vae/encode', { inputs: [[null, ...Array(63).fill(0)]] }, 400, /expected a finite number, got null/],
    ['too big a batch', '/v1/models/vae/score', { inputs: Array(17).fill(Array(64).fill(0)) }, 400, /a batch of 17 items is more than the limit of 16/],
    ['empty batch', '/v1/models/vae/score', { inputs: [] }, 400, /at least one item/],
    ['no inputs field', '/v1/models/vae/score', { data: [] }, 400, /expected a JSON object \{"inputs"/],
    ['a JSON array body', '/v1/models/vae/score', [[0]], 400, /expected a JSON object/],
    ['invalid JSON', '/v1/models/vae/score', '{"inputs": [[0,', 400, /JSON/],
    ['infinite value', '/v1/models/vae/score', '{"inputs": [[1e999' + ',0'.repeat(63) + ']]}', 400, /expected a finite number, got Infinity/],
    ['codes of the wrong size', '/v1/models/vae/decode', { inputs: [[0, 0, 0]] }, 400, /expected 2 numbers/],
    ['unknown model', '/v1/models/nope/encode', { inputs: [] }, 404, /no model named 'nope'/],
    ['unknown action', '/v1/models/vae/explode', { inputs: [] }, 404, /no action 'explode'/],
    ['missing part', '/v1/models/half/decode', { inputs: [[0, 0]] }, 404, /has no decoder/],
  ];
  for (const [what, url, payload, status, message] of cases) {
    it(what, async () => {
      const response = await post(url, payload);
      expect(response.statusCode).toBe(status);
      expect(response.json().error).toMatch(message);
    });
  }

  it('binary bodies: not a whole number of items, NaN, too many items, empty', async () => {
    const bad = [
      [new Uint8Array(10), /10 bytes is not a whole number of items of 64 float32 values/],
      [float32Bytes(Float32Array.from({ length: 64 }, (_, i) => (i === 3 ? NaN : 0))), /value 3 \(item 0\) is NaN/],
      [float32Bytes(new Float32Array(64 * 17)), /a batch of 17 items is more than the limit of 16/],
      [new Uint8Array(0), /empty body/],
    ] as const;
    for (const [payload, message] of bad) {
      const response = await post('/v1/models/vae/score', payload);
      expect(response.statusCode).toBe(400);
      expect(response.json().error).toMatch(message);
    }
  });

  it('other content types get 415, oversized bodies 413', async () => {
    const text = await app.inject({ method: 'POST', url: '/v1/models/vae/score', payload: 'hello', headers: { 'content-type': 'text/plain' } });
    expect(text.statusCode).toBe(415);
    const small = await createServer({ models, maxBatch: 4, bodyLimit: 1024 });
    const big = await small.inject({ method: 'POST', url: '/v1/models/vae/score', payload: float32Bytes(new Float32Array(300)), headers: { 'content-type': 'application/octet-stream' } });
    expect(big.statusCode).toBe(413);
    expect(big.json().error).toMatch(/too large/i);
    await small.close();
  });

  it('closes at once while a refused client is still sending its body: the lingering close ends with the server', async () => {
    const small = await createServer({ models, maxBatch: 4, bodyLimit: 1024, maxReceivingBytes: 1024, headersTimeoutMs: 1000, bodyTimeoutMs: 3000 });
    await small.listen({ port: 0, host: '127.0.0.1' });
    const { port } = small.server.address() as AddressInfo;
    const head = (length: number) => `POST /v1/models/vae/score HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/octet-stream\r\nContent-Length: ${length}\r\n\r\n`;
    // One body holds the whole budget, so the next is refused with 503 before its body is read.
    const holder = connect(port, '127.0.0.1');
    holder.write(head(1024) + ' ');
    await new Promise((r) => setTimeout(r, 200));
    const refused = connect(port, '127.0.0.1');
    let answer = '';
    refused.on('data', (chunk: Buffer) => void (answer += chunk.toString('latin1')));
    refused.on('error', () => undefined);
    refused.write(head(1000));
    await expect.poll(() => answer.slice(0, 12), { timeout: 2000 }).toBe('HTTP/1.1 503');
    holder.destroy();
    // The refused client goes on sending, a byte every 50 ms, so neither it nor the idle timeout ends the lingering.
    const trickle = setInterval(() => refused.writable && refused.write(' '), 50);
    await new Promise((r) => setTimeout(r, 300));
    const started = performance.now();
    await small.close();
    const ms = performance.now() - started;
    clearInterval(trickle);
    refused.destroy();
    // Node counts a lingering connection as idle (its answer was sent), so close ends it rather than waiting for the body timeout (3 s).
    expect(ms).toBeLessThan(1000);
  });

  it('survives a fuzz of random and malformed bodies: every answer is 2xx or a JSON 4xx', async () => {
    const rng = createRng(11);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(rng() * list.length)];
    const values = [0, 1, -1, 0.5, 1e30, -1e-30, 'x', null, true, {}, [], [0], '1', Infinity];
    const randomItem = (): unknown => {
      const kind = rng();
      if (kind < 0.3) return Array.from({ length: pick([0, 1, 2, 63, 64, 65]) }, () => (rng() < 0.9 ? rng() : pick(values)));
      if (kind < 0.5) return Array.from({ length: pick([2, 8]) }, () => Array.from({ length: pick([1, 8]) }, () => [rng()]));
      return pick(values);
    };
    const bodies: (() => string | Uint8Array)[] = [
      () => JSON.stringify({ inputs: Array.from({ length: pick([0, 1, 3, 17]) }, randomItem) }),
      () => JSON.stringify(randomItem()),
      () => JSON.stringify({ inputs: randomItem() }),
      () => JSON.stringify({ inputs: [[0, 1]] }).slice(0, Math.floor(rng() * 15)),
      () => Uint8Array.from({ length: pick([0, 3, 256, 512, 1000]) }, () => Math.floor(rng() * 256)),
      () => '{"inputs": ' + '['.repeat(200) + ']'.repeat(200) + '}',
      () => '{"__proto__": {"inputs": [[1]]}, "constructor": {"prototype": {}}}',
    ];
    const urls = ['/v1/models/conv/reconstruct', '/v1/models/vae/encode', '/v1/models/vae/decode', '/v1/models/conv/score', '/v1/models/half/encode'];
    const statuses = new Map<number, number>();
    for (let i = 0; i < 300; i++) {
      const response = await post(pick(urls), pick(bodies)());
      statuses.set(response.statusCode, (statuses.get(response.statusCode) ?? 0) + 1);
      expect(response.statusCode, response.body).toBeLessThan(500);
      if (response.statusCode >= 400) expect(typeof response.json().error).toBe('string');
    }
    expect(statuses.get(400)).toBeGreaterThan(50);
    expect((await app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
  });
});

describe('serveModels on a real socket', () => {
  let running: RunningServer;
  beforeAll(async () => {
    const lines: string[] = [];
    running = await serveModels([join(dir, 'conv.onnx'), join(dir, 'conv.encoder.onnx'), join(dir, 'conv.decoder.onnx')], { port: 0, log: (l) => lines.push(l) });
    expect(lines.at(-1)).toMatch(/^serving 1 model at http:\/\/127\.0\.0\.1:\d+ /);
  });
  afterAll(async () => {
    await running.close();
  });

  it('listens on loopback and answers over HTTP', async () => {
    expect(running.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const health = await fetch(`${running.url}/health`);
    expect(await health.json()).toEqual({ status: 'ok', models: ['conv'] });
    const response = await fetch(`${running.url}/v1/models/conv/reconstruct`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ inputs: items(probe, 2) }),
    });
    expect(response.status).toBe(200);
    expect(maxAbsDiff(((await response.json()) as { reconstructions: number[][] }).reconstructions.flat(), expected)).toBeLessThan(1e-4);
  });

  it('answers concurrent requests', async () => {
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        fetch(`${running.url}/v1/models/conv/${i % 2 ? 'score' : 'encode'}`, {
          method: 'POST',
          headers: { 'content-type': 'application/octet-stream' },
          body: new Blob([new Uint8Array(float32Bytes(probe))]),
        }),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(200));
  });
});

describe('checked ONNX files', () => {
  it('a file with random bytes changed is refused in one line naming it; an unsigned one unless --allow-unsigned', async () => {
    const { readFile } = await import('node:fs/promises');
    const bytes = await readFile(join(dir, 'conv.onnx'));
    const rng = createRng(3);
    await mkdir(join(dir, 'checked'));
    const damaged = join(dir, 'checked', 'damaged.onnx');
    const copy = Uint8Array.from(bytes);
    for (let i = 0; i < 50; i++) copy[Math.floor(rng() * copy.length)] ^= 1 + Math.floor(rng() * 254);
    await writeFile(damaged, copy);
    const io = { log: () => {}, backend: 'wasm' } as unknown as CommandIO;
    const command = createServeCommand(async () => 'never');
    const error = (await runPluginCommand(command, [damaged], { port: '0' }, io).catch((e: unknown) => e)) as Error;
    expect(error.message).toMatch(/damaged\.onnx: its bytes do not match the checksum ae export wrote into it \(the file was changed or damaged since\); export it again$/);
    expect(error.message).not.toContain('\n');
    await expect(runPluginCommand(command, [damaged], { port: '0', allowUnsigned: true }, io)).rejects.toThrow(/its bytes do not match/);

    // A file from another tool: the same model without the checksum entry (the 82 bytes aekit appends).
    const foreign = join(dir, 'checked', 'foreign.onnx');
    await writeFile(foreign, bytes.subarray(0, bytes.length - 82));
    await expect(runPluginCommand(command, [foreign], { port: '0' }, io)).rejects.toThrow(/foreign\.onnx: has no aekit checksum .*--allow-unsigned/);
    const served = await loadServedModels([foreign], { allowUnsigned: true });
    const app = await createServer({ models: served });
    const response = await app.inject({ method: 'POST', url: '/v1/models/foreign/reconstruct', payload: { inputs: items(probe, 2) } });
    expect(maxAbsDiff(response.json().reconstructions.flat(), expected)).toBeLessThan(1e-4);
    await app.close();
    await Promise.all(served.map((m) => m.close()));
    await rm(join(dir, 'checked'), { recursive: true });
  });
});

describe('ae serve', () => {
  it('serves the files given until told to stop, then closes', async () => {
    const lines: string[] = [];
    let stop!: (reason: string) => void;
    const stopped = new Promise<string>((resolve) => (stop = resolve));
    const io = { log: (line: string) => lines.push(line), backend: 'wasm' } as unknown as CommandIO;
    const command = createServeCommand(() => stopped);
    const done = runPluginCommand(command, [join(dir, 'vae.onnx'), join(dir, 'vae.encoder.onnx')], { port: '0', maxBatch: '4' }, io);
    while (!lines.some((l) => l.startsWith('serving'))) await new Promise((resolve) => setTimeout(resolve, 20));
    const url = /at (http:\/\/\S+)/.exec(lines.at(-1)!)![1];
    expect(await (await fetch(`${url}/health`)).json()).toEqual({ status: 'ok', models: ['vae'] });
    const tooMany = await fetch(`${url}/v1/models/vae/encode`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ inputs: Array(5).fill(Array(64).fill(0)) }),
    });
    expect(tooMany.status).toBe(400);
    stop('test');
    await done;
    expect(lines.at(-1)).toBe('test: stopping');
    await expect(fetch(`${url}/health`)).rejects.toThrow();
  });

  it('rejects bad options with one-line errors', async () => {
    const command = createServeCommand(async () => 'never');
    const io = { log: () => {}, backend: 'wasm' } as unknown as CommandIO;
    await expect(runPluginCommand(command, [join(dir, 'vae.onnx')], { port: '70000' }, io)).rejects.toThrow(ConfigError);
    await expect(runPluginCommand(command, [join(dir, 'vae.onnx')], { port: '0', maxQueue: '0' }, io)).rejects.toThrow(/--max-queue/);
    await expect(runPluginCommand(command, [join(dir, 'vae.onnx')], { port: '0', maxDelayMs: '-1' }, io)).rejects.toThrow(/--max-delay-ms/);
    await expect(runPluginCommand(command, [], {}, io)).rejects.toThrow(/expected ONNX files/);
    await expect(runPluginCommand(command, [join(dir, 'missing.onnx')], { port: '0' }, io)).rejects.toThrow(/missing\.onnx: no such file/);
  });
});
