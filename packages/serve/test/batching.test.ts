import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunOutput } from '@aekit/export-onnx';
import { BatchQueue, QueueFullError, serveModels, type BatchingOptions, type RunningServer } from '../src/index.js';
import { ITEM, maxAbsDiff, metricValue, type ServedFixture, writeServedModels } from './server-fixture.js';

/** A model call that doubles its input, recording each call's batch size; `gate` holds calls until released. */
function doubler() {
  const calls: number[] = [];
  let release: () => void = () => {};
  let gate: Promise<void> | undefined;
  const run = async (data: Float32Array, count: number): Promise<Record<string, RunOutput>> => {
    calls.push(count);
    if (gate) await gate;
    return { out: { data: data.map((v) => v * 2), shape: [count, data.length / count] } };
  };
  return {
    calls,
    run,
    hold() {
      gate = new Promise((resolve) => (release = resolve));
    },
    open() {
      gate = undefined;
      release();
    },
  };
}

const options = (o: Partial<BatchingOptions>): BatchingOptions => ({ maxBatch: 8, maxDelayMs: 0, maxQueue: 100, merge: true, ...o });

describe('BatchQueue', () => {
  it('merges requests that wait while the model is busy, up to maxBatch items, in order, each getting its own rows', async () => {
    const model = doubler();
    const queue = new BatchQueue(model.run, 2, options({ maxBatch: 8 }));
    model.hold();
    const first = queue.submit(Float32Array.of(0, 0), 1);
    // While the first call runs, 6 requests of 2 items queue up: they take two calls of 4 and 2 requests (8 and 4 items).
    const rest = Array.from({ length: 6 }, (_, i) => queue.submit(Float32Array.from({ length: 4 }, (_, j) => i * 10 + j), 2));
    expect(queue.depth).toBe(6);
    model.open();
    const answers = await Promise.all(rest);
    await first;
    expect(model.calls).toEqual([1, 8, 4]);
    answers.forEach((answer, i) => {
      expect(answer.out.shape).toEqual([2, 2]);
      expect(Array.from(answer.out.data)).toEqual([0, 1, 2, 3].map((j) => (i * 10 + j) * 2));
    });
  });

  it('waits up to maxDelayMs for a batch to fill, and no longer', async () => {
    const model = doubler();
    const queue = new BatchQueue(model.run, 1, options({ maxBatch: 4, maxDelayMs: 40 }));
    const started = Date.now();
    const lone = await queue.submit(Float32Array.of(1), 1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(35);
    expect(Array.from(lone.out.data)).toEqual([2]);
    // A full batch does not wait.
    const fullStart = Date.now();
    await Promise.all([1, 2, 3, 4].map((v) => queue.submit(Float32Array.of(v), 1)));
    expect(Date.now() - fullStart).toBeLessThan(35);
    expect(model.calls).toEqual([1, 4]);
  });

  it('without merging runs one call per request', async () => {
    const model = doubler();
    const queue = new BatchQueue(model.run, 1, options({ merge: false }));
    await Promise.all([1, 2, 3].map((v) => queue.submit(Float32Array.of(v), 1)));
    expect(model.calls).toEqual([1, 1, 1]);
  });

  it('refuses requests beyond maxQueue at once, and its depth never exceeds it', async () => {
    const model = doubler();
    let deepest = 0;
    const queue = new BatchQueue(model.run, 1, options({ maxBatch: 2, maxQueue: 5 }), { batch() {}, depth: (d) => (deepest = Math.max(deepest, d)) });
    model.hold();
    const results = Array.from({ length: 50 }, (_, i) => queue.submit(Float32Array.of(i), 1).then(
      (r) => r.out.data[0],
      (e: unknown) => e,
    ));
    model.open();
    const settled = await Promise.all(results);
    const refused = settled.filter((r) => r instanceof QueueFullError);
    // One request runs at once (the model is free), five wait, the rest are refused.
    expect(refused.length).toBe(44);
    expect(settled.filter((r) => typeof r === 'number')).toEqual([0, 2, 4, 6, 8, 10]);
    expect(deepest).toBe(5);
  });

  it('a failed model call rejects every request in it, and the queue goes on', async () => {
    let fail = true;
    const queue = new BatchQueue(
      async (data, count) => {
        if (fail) throw new Error('boom');
        return { out: { data, shape: [count, 1] } };
      },
      1,
      options({ maxDelayMs: 10 }),
    );
    const failed = await Promise.allSettled([queue.submit(Float32Array.of(1), 1), queue.submit(Float32Array.of(2), 1)]);
    expect(failed.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    expect(Array.from((await queue.submit(Float32Array.of(3), 1)).out.data)).toEqual([3]);
  });
});

describe('the server under concurrency', () => {
  let fixture: ServedFixture;

  beforeAll(async () => {
    fixture = await writeServedModels();
  });

  afterAll(async () => {
    await rm(fixture.dir, { recursive: true, force: true });
  });

  /** Fires `n` concurrent V2 requests of one item each (item i filled with i/n) over a real socket. */
  async function flood(server: RunningServer, n: number) {
    return Promise.all(
      Array.from({ length: n }, async (_, i) => {
        const data = Array(ITEM).fill(i / n);
        const response = await fetch(`${server.url}/v2/models/conv/infer`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ id: String(i), inputs: [{ name: 'input', shape: [1, 8, 8, 1], datatype: 'FP32', data }] }),
        });
        return { i, status: response.status, retryAfter: response.headers.get('retry-after'), body: (await response.json()) as Record<string, unknown> };
      }),
    );
  }

  it('merges concurrent requests into model calls of more than one item, each answer its own', async () => {
    const server = await serveModels([fixture.dir], { port: 0, maxBatch: 16, maxDelayMs: 25, maxQueue: 64 });
    try {
      const answers = await flood(server, 24);
      expect(answers.map((a) => a.status)).toEqual(Array(24).fill(200));
      for (const { i, body } of answers) {
        expect(body.id).toBe(String(i));
        const expected = fixture.reconstruct(new Float32Array(ITEM).fill(i / 24), 1);
        expect(maxAbsDiff((body.outputs as { data: number[] }[])[0].data, expected)).toBeLessThan(1e-5);
      }
      const metrics = await (await fetch(`${server.url}/metrics`)).text();
      const calls = metricValue(metrics, 'ae_batch_size_count', { model: 'conv' });
      const items = metricValue(metrics, 'ae_batch_size_sum', { model: 'conv' });
      expect(items).toBe(24);
      expect(items / calls).toBeGreaterThan(1);
      expect(metricValue(metrics, 'ae_batch_size_bucket', { model: 'conv', le: '1' })).toBeLessThan(calls);
    } finally {
      await server.close();
    }
  });

  it('back-pressure: with more concurrent requests than the queue holds, some get 503 + Retry-After, every request is answered, none lost', async () => {
    // The first requests wait up to a second for a batch that cannot fill, so the flood meets a full queue.
    const server = await serveModels([fixture.dir], { port: 0, maxBatch: 64, maxDelayMs: 1000, maxQueue: 3 });
    try {
      const rssBefore = process.memoryUsage().rss;
      const flooding = flood(server, 120);
      // While the queue is full, requests are refused before their bodies are read: even a body over the
      // size limit (which would get 413 once read) gets 503, on the V1 routes as on V2.
      await new Promise((resolve) => setTimeout(resolve, 400));
      const huge = JSON.stringify({ inputs: [Array(300_000).fill(0.5)] });
      const early = await Promise.all(
        ['/v1/models/conv/reconstruct', '/v2/models/conv/infer'].map(async (path) => {
          const response = await fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: huge });
          return [path, response.status, response.headers.get('retry-after')];
        }),
      );
      expect(early).toEqual([
        ['/v1/models/conv/reconstruct', 503, '1'],
        ['/v2/models/conv/infer', 503, '1'],
      ]);
      const answers = await flooding;
      const ok = answers.filter((a) => a.status === 200);
      const refused = answers.filter((a) => a.status === 503);
      expect(ok.length + refused.length).toBe(120);
      expect(refused.length).toBeGreaterThan(0);
      expect(ok.length).toBeGreaterThan(0);
      for (const r of refused) {
        expect(r.retryAfter).toBe('1');
        expect(r.body).toEqual({ error: expect.stringMatching(/busy: 3 requests are already waiting/) });
      }
      for (const { i, body } of ok) expect(body.id).toBe(String(i));
      const metrics = await (await fetch(`${server.url}/metrics`)).text();
      // Every accepted request ran exactly once, and every refusal was counted.
      expect(metricValue(metrics, 'ae_batch_size_sum', { model: 'conv' })).toBe(ok.length);
      expect(metricValue(metrics, 'ae_queue_rejections_total', { model: 'conv' })).toBe(refused.length + early.length);
      expect(metricValue(metrics, 'ae_queue_depth', { model: 'conv' })).toBe(0);
      // The queue holds at most 3 requests of 2 items; the process does not grow with the flood.
      expect(process.memoryUsage().rss - rssBefore).toBeLessThan(64 * 1024 * 1024);
      // It still answers afterwards.
      expect((await fetch(`${server.url}/v2/health/ready`)).status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('/metrics: Prometheus text with request counts and latencies by route and status, batch sizes, queue depth, process memory', async () => {
    const server = await serveModels([fixture.dir], { port: 0, maxBatch: 16 });
    try {
      await flood(server, 3);
      await fetch(`${server.url}/v2/models/nope/infer`, { method: 'POST', body: '{}' });
      await fetch(`${server.url}/v1/models/conv/score`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ inputs: [Array(ITEM).fill(0)] }) });
      await fetch(`${server.url}/no/such/route`);
      const response = await fetch(`${server.url}/metrics`);
      expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
      const text = await response.text();
      const infer = { method: 'POST', route: '/v2/models/:name/infer' };
      expect(metricValue(text, 'ae_http_requests_total', { ...infer, status: '200' })).toBe(3);
      expect(metricValue(text, 'ae_http_requests_total', { ...infer, status: '404' })).toBe(1);
      expect(metricValue(text, 'ae_http_requests_total', { method: 'POST', route: '/v1/models/:name/:action', status: '200' })).toBe(1);
      expect(metricValue(text, 'ae_http_requests_total', { method: 'GET', route: 'unmatched', status: '404' })).toBe(1);
      expect(metricValue(text, 'ae_http_request_duration_seconds_count', { ...infer, status: '200' })).toBe(3);
      expect(metricValue(text, 'ae_http_request_duration_seconds_bucket', { ...infer, status: '200', le: '+Inf' })).toBe(3);
      expect(text).toMatch(/^# TYPE ae_batch_size histogram$/m);
      expect(text).toMatch(/^# TYPE ae_queue_depth gauge$/m);
      expect(metricValue(text, 'ae_queue_depth', { model: 'conv.encoder' })).toBe(0);
      expect(metricValue(text, 'process_resident_memory_bytes')).toBeGreaterThan(0);
    } finally {
      await server.close();
    }
  });
});
