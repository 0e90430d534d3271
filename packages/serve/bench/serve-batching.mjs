// Load test of dynamic batching in `ae serve`: exports the classic
// convolutional autoencoder (untrained, 28×28×1; speed does not depend on
// the weights) and serves it three times on 127.0.0.1, on free ports, in
// this process: without batching (one model call per request), with
// batching and --max-delay-ms 0 (merge what waits while the model is busy)
// and with --max-delay-ms 2. autocannon, in a separate process, sends V2
// inference requests of one image (binary data extension) from 1, 8 and 64
// concurrent clients; each run is bounded by --seconds and by
// --max-requests. The three servers take turns, --rounds times at each
// client count, so that they meet the same machine load; req/s is over all
// rounds, p50/p99 the median of the rounds'. Writes a markdown table (req/s,
// p50/p99 latency, mean items per model call from /metrics, non-2xx) and
// this process's RSS before, at its peak and after to
// bench/serve-batching-results.md.
//
//   pnpm --filter @aekit/serve... build && node packages/serve/bench/serve-batching.mjs [--seconds 2] [--rounds 3] [--max-requests 20000]
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { composeAutoencoder, composeLoss, LayersAutoencoder, meanSquaredError, stack, tf } from '@aekit/core';
import { exportAutoencoder } from '@aekit/export-onnx';
import { serveModels } from '../dist/index.js';
import { runCannon } from '../scripts/run-cannon.mjs';

const arg = (name, fallback) => Number(process.argv[process.argv.indexOf(name) + 1]) || fallback;
const seconds = arg('--seconds', 2);
const rounds = arg('--rounds', 3);
const maxRequests = arg('--max-requests', 20000);
const clientCounts = [1, 8, 64];
const resultsFile = new URL('./serve-batching-results.md', import.meta.url).pathname;
const L = tf.layers;

const parts = composeAutoencoder({
  inputShape: [28, 28, 1],
  encode: stack([
    L.conv2d({ filters: 16, kernelSize: 3, padding: 'same', activation: 'relu' }),
    L.maxPooling2d({ poolSize: 2 }),
    L.conv2d({ filters: 8, kernelSize: 3, padding: 'same', activation: 'relu' }),
    L.maxPooling2d({ poolSize: 2 }),
  ]),
  decode: stack([
    L.upSampling2d({ size: [2, 2] }),
    L.conv2d({ filters: 16, kernelSize: 3, padding: 'same', activation: 'relu' }),
    L.upSampling2d({ size: [2, 2] }),
    L.conv2d({ filters: 1, kernelSize: 3, padding: 'same', activation: 'sigmoid' }),
  ]),
});
const model = new LayersAutoencoder({ family: 'conv', config: {}, ...parts, loss: composeLoss(meanSquaredError()) });
const dir = await mkdtemp(join(os.tmpdir(), 'aekit-batching-'));
await writeFile(join(dir, 'conv.onnx'), exportAutoencoder(model, { part: 'full', dataShape: [28, 28, 1] }));
model.dispose();

// One image as a V2 request with the binary data extension: JSON header, then 784 float32.
const image = Float32Array.from({ length: 784 }, (_, i) => (i % 17) / 17);
const header = Buffer.from(JSON.stringify({ inputs: [{ name: 'input', shape: [1, 28, 28, 1], datatype: 'FP32', parameters: { binary_data_size: image.byteLength } }] }));
const bodyFile = join(dir, 'body');
await writeFile(bodyFile, Buffer.concat([header, Buffer.from(image.buffer)]));

function cannon(url, connections) {
  const extra = { headers: { 'inference-header-content-length': String(header.length) }, maxOverallRequests: maxRequests };
  return runCannon(`${url}/v2/models/conv/infer`, 'application/octet-stream', bodyFile, connections, seconds, extra);
}

/** Model calls and items so far, from the server's /metrics. */
async function batchTotals(url) {
  const text = await (await fetch(`${url}/metrics`)).text();
  const value = (name) => Number(new RegExp(`^${name}\\{model="conv"\\} (\\S+)$`, 'm').exec(text)?.[1] ?? 0);
  return { calls: value('ae_batch_size_count'), items: value('ae_batch_size_sum') };
}

const modes = [
  { title: 'no batching', options: { batching: false } },
  { title: 'batching, max delay 0 ms', options: { batching: true, maxDelayMs: 0 } },
  { title: 'batching, max delay 2 ms', options: { batching: true, maxDelayMs: 2 } },
];
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const rssBefore = process.memoryUsage().rss;
let rssPeak = rssBefore;
const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage().rss)), 100);
const loadBefore = os.loadavg()[0];
const servers = [];
const rows = [];
try {
  for (const mode of modes) servers.push(await serveModels([dir], { port: 0, host: '127.0.0.1', maxBatch: 64, maxQueue: 128, ...mode.options }));
  for (const clients of clientCounts) {
    const runs = modes.map(() => ({ requests: 0, duration: 0, p50: [], p99: [], calls: 0, items: 0, failed: 0 }));
    for (let round = 0; round < rounds; round++) {
      for (const [i, { url }] of servers.entries()) {
        const before = await batchTotals(url);
        const r = await cannon(url, clients);
        const after = await batchTotals(url);
        const run = runs[i];
        run.requests += r.requests.total;
        run.duration += r.duration;
        run.p50.push(r.latency.p50);
        run.p99.push(r.latency.p99);
        run.calls += after.calls - before.calls;
        run.items += after.items - before.items;
        run.failed += r.non2xx + r.errors + r.timeouts;
      }
    }
    for (const [i, mode] of modes.entries()) {
      const run = runs[i];
      rows.push({ clients, mode: mode.title, rps: run.requests / run.duration, p50: median(run.p50), p99: median(run.p99), total: run.requests, perCall: run.items / Math.max(1, run.calls), failed: run.failed });
    }
  }
  for (const { url } of servers) if ((await fetch(`${url}/v2/health/ready`)).status !== 200) throw new Error('a server is not ready after the load');
} finally {
  clearInterval(sampler);
  await Promise.all(servers.map((s) => s.close()));
  await rm(dir, { recursive: true, force: true });
}
const rssAfter = process.memoryUsage().rss;

const cpus = os.cpus();
const mb = (bytes) => (bytes / 2 ** 20).toFixed(0);
const lines = [
  '# Dynamic batching in `ae serve`: load test',
  '',
  'Written by `pnpm --filter @aekit/serve... build && node packages/serve/bench/serve-batching.mjs' +
    (process.argv.length > 2 ? ` ${process.argv.slice(2).join(' ')}` : '') +
    '`.',
  '',
  `The convolutional autoencoder (28×28×1), \`POST /v2/models/conv/infer\` with one image per request (binary data extension), ` +
    `autocannon in a separate process on loopback, each run at most ${seconds} s and ${maxRequests} requests; ` +
    `\`--max-batch 64 --max-queue 128\`; the three servers take turns, ${rounds} rounds at each client count (req/s over all rounds, p50/p99 the median of the rounds'). ` +
    `${cpus.length} cores (${cpus[0]?.model.trim()}), Node ${process.version}, load average ${loadBefore.toFixed(1)} before and ${os.loadavg()[0].toFixed(1)} after: ` +
    '**measured while other work was running on the machine**, so compare rows of the same client count (same run, same load) rather than absolute figures.',
  '',
  '| clients | server | req/s | p50 ms | p99 ms | requests | items per model call | non-2xx + errors |',
  '| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |',
  ...rows.map((r) => `| ${r.clients} | ${r.mode} | ${Math.round(r.rps)} | ${r.p50} | ${r.p99} | ${r.total} | ${r.perCall.toFixed(1)} | ${r.failed} |`),
  '',
  `Resident memory of the process holding the three servers: ${mb(rssBefore)} MB before the servers started, ${mb(rssPeak)} MB at the peak, ${mb(rssAfter)} MB after every run and after closing them.`,
  '',
];
await writeFile(resultsFile, lines.join('\n'));
console.log(lines.join('\n'));
if (rows.some((r) => r.failed > 0)) process.exitCode = 1;
