// Nothing blocks the event loop: while large requests run (a batch of
// 2,048 items as JSON both ways: megabytes to parse, a model call, megabytes
// to write), health checks, metrics and a small inference (of another
// model: requests to the same model wait for its model calls in order, as
// in Triton) are answered within 100 ms plus twice what the machine itself
// delays a process (a plain Node server probed in the same turns; see
// hostile-client.test.ts). The bound applies to the 95th percentile of each
// probe's latencies against the baseline's: on a machine shared by many
// processes a single probe of either server can wait a scheduler slice of
// 100+ ms. The slowest answer stays below 1 s (the timeout of a Kubernetes
// liveness probe) plus twice the baseline's slowest, since CI runs other
// packages' tests on the same two cores. Decoding on the event loop fails
// both bounds several times over.
import { rm } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReferenceServer, startServedProcess, type ServedProcess } from './fixtures/served-process.js';
import { ITEM, writeServedModels, type ServedFixture } from './server-fixture.js';

const LARGE = 2048;
let fixture: ServedFixture;
let server: ServedProcess;
let reference: ServedProcess;

beforeAll(async () => {
  fixture = await writeServedModels();
  server = await startServedProcess([fixture.dir], { maxBatch: LARGE });
  reference = await startReferenceServer();
});

afterAll(async () => {
  await server?.stop();
  await reference?.stop();
  await rm(fixture.dir, { recursive: true, force: true });
});

describe('the event loop while large requests run', () => {
  it('answers health, metrics and a small inference within 100 ms plus twice the machine baseline (95th percentile), and no slower than 1 s beyond it', async () => {
    const small = JSON.stringify({ inputs: [Array(ITEM).fill(0.5)] });
    const targets = [`${server.url}/v2/health/live`, `${server.url}/metrics`, { url: `${server.url}/v1/models/vae/score`, body: small }, `${reference.url}/`];
    const prober = new Worker(new URL('./fixtures/health-prober.mjs', import.meta.url), { workerData: { targets, intervalMs: 10 } });
    const large = JSON.stringify({ inputs: [{ name: 'input', shape: [LARGE, 8, 8, 1], datatype: 'FP32', data: Array.from({ length: LARGE * ITEM }, (_, i) => (i % 13) / 13) }] });
    const started = performance.now();
    const answers = await Promise.all(
      Array.from({ length: 6 }, async (_, i) => {
        await new Promise((resolve) => setTimeout(resolve, i * 150));
        const response = await fetch(`${server.url}/v2/models/conv/infer`, { method: 'POST', body: large });
        const body = (await response.json()) as { outputs: { data: number[] }[] };
        return { status: response.status, values: body.outputs?.[0]?.data.length };
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    prober.postMessage('stop');
    const { latencies, failures } = (await new Promise((resolve) => prober.once('message', resolve))) as { latencies: { ms: number }[][]; failures: string[] };
    await prober.terminate();
    expect(answers).toEqual(Array(6).fill({ status: 200, values: LARGE * ITEM }));
    expect(failures).toEqual([]);
    const slowest = latencies.map((probes) => Math.max(...probes.map((p) => p.ms)));
    const p95 = latencies.map((probes) => percentile(probes.map((p) => p.ms), 0.95));
    const shown = (ms: number[]) => `health ${ms[0].toFixed(1)} ms, metrics ${ms[1].toFixed(1)} ms, small inference ${ms[2].toFixed(1)} ms, baseline server ${ms[3].toFixed(1)} ms`;
    const report = `${seconds.toFixed(1)} s of large requests (${(large.length / 2 ** 20).toFixed(1)} MiB each way); 95th percentile: ${shown(p95)}; slowest: ${shown(slowest)}; ${latencies[0].length} probes each`;
    console.log(report);
    for (const probes of latencies) expect(probes.length, report).toBeGreaterThan(10);
    // Relative to the baseline server probed at the same moments: CI runs other packages' tests beside this one on two cores.
    for (const ms of p95.slice(0, 3)) expect(ms, report).toBeLessThan(100 + 2 * p95[3]);
    for (const ms of slowest.slice(0, 3)) expect(ms, report).toBeLessThan(1000 + 2 * slowest[3]);
  });
});

/** The value below which a share `q` of `values` lies (nearest rank). */
function percentile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}
