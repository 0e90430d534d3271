// The server as a hostile client meets it: each bad request a 4xx within a
// second, `GET /v2/health/live` answered all along (probed from a thread of
// its own) and the server's memory back near where it started. The server
// runs in a child process with short timeouts and small limits, so every
// case ends quickly. That no case held the server's event loop is measured
// in the server itself: each turn of its loop that came more than 20 ms late,
// and how much of that time its main thread ran (its own work) or waited for
// a core (Linux' schedstat). No late turn may hold 100 ms of its own work:
// 300 ms of CPU spent in one case's handler failed this (tried; a loop that
// waited 300 ms of wall time got only 66 ms of a core at load 7, and passed).
// What a client sees also includes waiting for a core, which on a shared
// 2-core machine reached 600-800 ms for the server and the plain Node server
// probed beside it at the same moments (CI, and load 7 here) while the
// server's own work per late turn stayed under 30 ms: the client's bound is
// a liveness probe's 1 s.
import { rm } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postHead, rawRequest, type RawAnswer } from './fixtures/raw-http.js';
import { stallsOf, startReferenceServer, startServedProcess, type ServedProcess, type Stall } from './fixtures/served-process.js';
import { ITEM, metricValue, writeServedModels, type ServedFixture } from './server-fixture.js';

const LIMITS = {
  maxBatch: 64,
  bodyLimit: 2 ** 20,
  maxReceivingBytes: 4 * 2 ** 20,
  maxResponseBytes: 64 * 1024,
  headersTimeoutMs: 400,
  bodyTimeoutMs: 600,
  idleTimeoutMs: 300,
};

let fixture: ServedFixture;
let server: ServedProcess;
let reference: ServedProcess;
let prober: Worker;
let idleRss: number;
/** When each case ran (wall clock, ms), to name the case behind a slow probe. */
const windows: { what: string; from: number; to: number }[] = [];
const wall = () => performance.timeOrigin + performance.now();

const json = (value: unknown) => Buffer.from(JSON.stringify(value));
const item = (value: number) => Array(ITEM).fill(value) as number[];
const v2Input = (data: unknown, shape = [1, 8, 8, 1]) => ({ name: 'input', shape, datatype: 'FP32', data });

/** A complete POST with a correct Content-Length. */
function post(path: string, body: Buffer, headers: Record<string, string> = {}): Promise<RawAnswer> {
  return rawRequest(server.url, [{ data: postHead(path, { 'Content-Type': 'application/json', ...headers, 'Content-Length': body.length }) }, { data: body }]);
}

/** A V2 body with binary tensor data: JSON header, then bytes. */
function binaryBody(header: unknown, bytes: Buffer): { body: Buffer; headerLength: number } {
  const head = json(header);
  return { body: Buffer.concat([head, bytes]), headerLength: head.length };
}

/** One of the server's Prometheus metrics, now. */
async function metric(name: string): Promise<number> {
  return metricValue(await (await fetch(`${server.url}/metrics`)).text(), name);
}

const rss = () => metric('process_resident_memory_bytes');

/** A metric once it reads `value`, or what it reads after a second of asking every 10 ms. */
async function settledMetric(name: string, value: number): Promise<number> {
  const until = performance.now() + 1000;
  let now = await metric(name);
  while (now !== value && performance.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    now = await metric(name);
  }
  return now;
}

beforeAll(async () => {
  fixture = await writeServedModels();
  server = await startServedProcess([fixture.dir], LIMITS);
  // Warm up every route a case uses, then take the idle memory.
  for (let i = 0; i < 20; i++) {
    await fetch(`${server.url}/v2/models/conv/infer`, { method: 'POST', body: JSON.stringify({ inputs: [v2Input(item(0.5))] }) });
    await fetch(`${server.url}/v1/models/vae/score`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ inputs: [item(0.5)] }) });
  }
  await new Promise((resolve) => setTimeout(resolve, 300));
  idleRss = await rss();
  reference = await startReferenceServer();
  const targets = [`${server.url}/v2/health/live`, `${reference.url}/v2/health/live`];
  prober = new Worker(new URL('./fixtures/health-prober.mjs', import.meta.url), { workerData: { targets, intervalMs: 20, together: true } });
});

afterAll(async () => {
  await prober?.terminate();
  await server?.stop();
  await reference?.stop();
  await rm(fixture.dir, { recursive: true, force: true });
});

const infer = '/v2/models/conv/infer';
const cases: [string, () => Promise<RawAnswer>, number, RegExp][] = [
  ['duplicated outputs', () => post(infer, json({ inputs: [v2Input(item(0.5))], outputs: [{ name: 'reconstruction' }, { name: 'reconstruction' }] })), 400, /already requested/],
  ['1e39 in an FP32 tensor (V2)', () => post(infer, Buffer.from(`{"inputs":[{"name":"input","shape":[1,8,8,1],"datatype":"FP32","data":[1e39${',0'.repeat(ITEM - 1)}]}]}`)), 400, /beyond float32's range/],
  ['1e39 in an item (/v1)', () => post('/v1/models/vae/score', Buffer.from(`{"inputs":[[1e39${',0'.repeat(ITEM - 1)}]]}`)), 400, /inputs\[0\]\[0\]: 1e\+39 is beyond float32's range/],
  ['NaN in binary data', () => {
    const { body, headerLength } = binaryBody({ inputs: [{ name: 'input', shape: [1, 8, 8, 1], datatype: 'FP32', parameters: { binary_data_size: ITEM * 4 } }] }, Buffer.from(new Float32Array(ITEM).fill(Number.NaN).buffer));
    return post(infer, body, { 'Content-Type': 'application/octet-stream', 'Inference-Header-Content-Length': String(headerLength) });
  }, 400, /is NaN/],
  ['NaN written into JSON', () => post(infer, Buffer.from(`{"inputs":[{"name":"input","shape":[1,8,8,1],"datatype":"FP32","data":[NaN${',0'.repeat(ITEM - 1)}]}]}`)), 400, /not valid JSON/],
  ['a huge declared batch', () => post(infer, json({ inputs: [v2Input([], [1e9, 8, 8, 1])] })), 400, /batch of 1000000000 is outside 1 to 64/],
  ['a huge declared dimension', () => post(infer, json({ inputs: [v2Input([], [1, 8, 8, 1e12])] })), 400, /does not match the model's/],
  ['a huge binary_data_size', () => {
    const { body, headerLength } = binaryBody({ inputs: [{ name: 'input', shape: [1, 8, 8, 1], datatype: 'FP32', parameters: { binary_data_size: 2 ** 40 } }] }, Buffer.alloc(16));
    return post(infer, body, { 'Inference-Header-Content-Length': String(headerLength) });
  }, 400, /binary_data_size is 1099511627776 bytes/],
  ['a truncated binary body', () => {
    const { body, headerLength } = binaryBody({ inputs: [{ name: 'input', shape: [1, 8, 8, 1], datatype: 'FP32', parameters: { binary_data_size: ITEM * 4 } }] }, Buffer.alloc(100));
    return post(infer, body, { 'Inference-Header-Content-Length': String(headerLength) });
  }, 400, /holds 100 bytes of binary data/],
  ['an Inference-Header-Content-Length beyond the body', () => post(infer, json({ inputs: [v2Input(item(0))] }), { 'Inference-Header-Content-Length': '999999' }), 400, /Inference-Header-Content-Length: expected a byte count/],
  ['an Inference-Header-Content-Length that is not a number', () => post(infer, json({ inputs: [v2Input(item(0))] }), { 'Inference-Header-Content-Length': '12abc' }), 400, /Inference-Header-Content-Length/],
  ['an Inference-Header-Content-Length inside the JSON', () => post(infer, json({ inputs: [v2Input(item(0))] }), { 'Inference-Header-Content-Length': '20' }), 400, /not valid JSON/],
  ['deep-nested JSON (V2)', () => post(infer, Buffer.from(`{"inputs":[{"name":"input","shape":[1,8,8,1],"datatype":"FP32","data":${'['.repeat(100_000)}${']'.repeat(100_000)}}]}`)), 400, /nested more than 32 levels/],
  ['deep-nested JSON (/v1)', () => post('/v1/models/conv/reconstruct', Buffer.from(`{"inputs":${'['.repeat(100_000)}${']'.repeat(100_000)}}`)), 400, /nested more than 32 levels/],
  // Headers first, then (if no answer came) the body: an answer before the body would otherwise race a reset.
  ['a 50 MB body, announced', () => rawRequest(server.url, [{ data: postHead(infer, { 'Content-Length': 50 * 2 ** 20 }) }, { data: Buffer.alloc(2 ** 20), afterMs: 100 }]), 413, /too large/i],
  ['a 50 MB body, chunked', () => {
    const chunk = Buffer.concat([Buffer.from(`100000\r\n`), Buffer.alloc(0x100000, 0x20), Buffer.from('\r\n')]);
    return rawRequest(server.url, [{ data: postHead(infer, { 'Transfer-Encoding': 'chunked' }) }, ...Array.from({ length: 50 }, () => ({ data: chunk, afterMs: 5 }))]);
  }, 413, /too large/i],
  ['headers that never end', () => rawRequest(server.url, [{ data: `POST ${infer} HTTP/1.1\r\nHost: 127.0.0.1\r\n` }, { data: 'X-Slow: 1\r\n', afterMs: 200 }]), 408, /.*/],
  ['a body that trickles in a byte at a time', () =>
    rawRequest(server.url, [{ data: postHead(infer, { 'Content-Length': 1000 }) }, ...Array.from({ length: 40 }, () => ({ data: ' ', afterMs: 100 }))]), 408, /.*/],
  ['a body that stops half way', () => rawRequest(server.url, [{ data: postHead(infer, { 'Content-Length': 1000 }) }, { data: Buffer.alloc(500, 0x20) }]), 408, /no bytes of the request arrived/],
  ['a compressed body', () => post(infer, Buffer.from([0x1f, 0x8b, 8, 0]), { 'Content-Encoding': 'gzip' }), 415, /Content-Encoding gzip is not supported/],
  ['an answer larger than --max-response-bytes', () => post(infer, json({ inputs: [v2Input(Array(64 * ITEM).fill(0.5), [64, 8, 8, 1])] })), 413, /--max-response-bytes of 65,536/],
  ['an input that makes the model give infinities', () =>
    post('/v2/models/vae_encoder/infer', json({ inputs: [{ name: 'input', shape: [1, ITEM], datatype: 'FP32', data: item(3e38) }] })), 422, /is (-?Infinity|NaN), not a finite number/],
];

describe('a hostile client', () => {
  for (const [what, send, status, message] of cases) {
    it(`${what}: ${status} within a second`, async () => {
      const from = wall();
      const answer = await send();
      windows.push({ what, from, to: wall() });
      expect(answer.status, answer.body).toBe(status);
      expect(answer.ms).toBeLessThan(1000);
      if (answer.body) {
        expect(answer.headers['content-type']).toBe('application/json');
        expect(JSON.parse(answer.body).error).toMatch(message);
      }
    });
  }

  it('connections each holding a body one byte short: 503 once the bytes held at once are taken, 408 for the held ones, all within a second', async () => {
    const body = Buffer.alloc(LIMITS.bodyLimit - 1, 0x20);
    const held = LIMITS.maxReceivingBytes / LIMITS.bodyLimit;
    const hold = (afterMs = 0) => rawRequest(server.url, [{ data: postHead(infer, { 'Content-Length': LIMITS.bodyLimit }) }, { data: body, afterMs }]);
    // Every body of the cases before was given back (bytes drained after an answer are not counted).
    expect(await settledMetric('ae_request_bodies_bytes', 0)).toBe(0);
    const from = wall();
    // First as many bodies as the budget holds, sent at once; the server holds them until it
    // has heard nothing from them for the idle timeout, so not before `releasedNotBefore`.
    const sent = performance.now();
    const holders = Array.from({ length: held }, () => hold());
    const releasedNotBefore = sent + LIMITS.idleTimeoutMs;
    expect(await settledMetric('ae_request_bodies_bytes', LIMITS.maxReceivingBytes)).toBe(LIMITS.maxReceivingBytes);
    // Then more, each sending head and body at once as clients do: every one answered before the
    // first bodies can have been released was refused, and the client read the 503 rather than a
    // reset (the server lingers after answering instead of closing on the body still arriving).
    const more = Array.from({ length: 20 }, () => hold().then((answer) => ({ ...answer, at: performance.now() })));
    // And one busy client that sends its body after the 503 has arrived and reads only then: Node
    // would have closed on the unread body and the reset would have thrown the 503 away (status 0,
    // tried). On a loaded machine the held bodies may be released first: then it is held, and 408.
    const late = await rawRequest(server.url, [{ data: postHead(infer, { 'Content-Length': LIMITS.bodyLimit }) }, { data: body, afterMs: 50 }], 5000, 150);
    expect([503, 408], 'the answer of a client that reads after sending its whole body').toContain(late.status);
    const answers = [...(await Promise.all(holders)), ...(await Promise.all(more))];
    expect(await settledMetric('ae_request_bodies_bytes', 0), 'bytes of bodies held after the case').toBe(0);
    windows.push({ what: 'many bodies', from, to: wall() });
    const early = (await Promise.all(more)).filter((a) => a.at < releasedNotBefore);
    const statuses = answers.map((a) => a.status);
    const report = `statuses ${statuses.join(',')}; ${early.length} answered before the held bodies could be released`;
    console.log(report);
    expect(statuses.slice(0, held), report).toEqual(Array(held).fill(408));
    expect(early.map((a) => a.status), report).toEqual(early.map(() => 503));
    expect(statuses.filter((s) => s === 503).length, report).toBeGreaterThanOrEqual(1);
    expect(statuses.every((s) => s === 503 || s === 408), report).toBe(true);
    for (const a of answers) expect(a.ms).toBeLessThan(1000);
    const refused = answers.find((a) => a.status === 503)!;
    expect(refused.headers['retry-after']).toBe('1');
    expect(JSON.parse(refused.body).error).toMatch(/holding 4\.0 MiB .* limit of 4\.0 MiB \(--max-receiving-mb\)/);
  });

  it('afterwards: the server answers correctly, no case held its event loop for 100 ms of its own work, /v2/health/live answered within 1 s all along, and memory is back within 20% of idle', async () => {
    const response = await fetch(`${server.url}${infer}`, { method: 'POST', body: JSON.stringify({ inputs: [v2Input(item(0.25))] }) });
    expect(response.status).toBe(200);
    const { outputs } = (await response.json()) as { outputs: { data: number[] }[] };
    const expected = fixture.reconstruct(new Float32Array(ITEM).fill(0.25), 1);
    outputs[0].data.forEach((v, i) => expect(v).toBeCloseTo(expected[i], 5));

    prober.postMessage('stop');
    const [{ latencies: [latencies, baseline], failures, origin }] = (await new Promise((resolve) => prober.once('message', (m) => resolve([m])))) as [
      { latencies: { at: number; ms: number; written: number; answered: number }[][]; failures: string[]; origin: number },
    ];
    // The server's event loop during the cases: each turn it took more than 20 ms late, with its main thread's time meanwhile.
    const inCases = (at: number, ms: number) => windows.some((w) => w.from <= at + ms && w.to >= at);
    const stalls = (await stallsOf(server)).filter((s) => inCases(s.at, s.ms));
    expect(failures).toEqual([]);
    expect(latencies.length).toBeGreaterThan(20);
    const slowest = latencies.reduce((a, b) => (b.ms > a.ms ? b : a));
    const machine = Math.max(...baseline.map((p) => p.ms));
    const during = windows.filter((w) => w.from <= origin + slowest.at + slowest.ms && w.to >= origin + slowest.at).map((w) => w.what);
    // Off Linux a stall's own work is not known, and all of it counts as the server's.
    const work = (s: Stall) => s.running ?? s.ms;
    const busiest = stalls.reduce<Stall | undefined>((a, b) => (a && work(a) >= work(b) ? a : b), undefined);
    const late = stalls.reduce((most, s) => Math.max(most, s.ms), 0);
    const report =
      `${latencies.length} probes, slowest ${slowest.ms.toFixed(1)} ms (request written after ${slowest.written.toFixed(1)} ms) during ${during.join('; ') || 'no case'}, the baseline server's slowest ${machine.toFixed(1)} ms; ` +
      `the server's event loop ran up to ${late.toFixed(1)} ms late during the cases` +
      (busiest ? `; its busiest late turn ${busiest.ms.toFixed(1)} ms late, of which its main thread ran ${busiest.running?.toFixed(1) ?? '?'} ms and waited for a core ${busiest.waiting?.toFixed(1) ?? '?'} ms` : '');
    console.log(report);
    // What the server controls: no hostile case held its event loop for 100 ms of its own work.
    expect(busiest ? work(busiest) : 0, report).toBeLessThan(100);
    // What a client sees also includes waiting for one of the machine's cores; a liveness probe gives up after 1 s.
    expect(slowest.ms, report).toBeLessThan(1000);

    await new Promise((resolve) => setTimeout(resolve, 500));
    const after = await rss();
    expect(after, `idle ${(idleRss / 2 ** 20).toFixed(0)} MB, after ${(after / 2 ** 20).toFixed(0)} MB`).toBeLessThan(idleRss * 1.2);
  });
});
