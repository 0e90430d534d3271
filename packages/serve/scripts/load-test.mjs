// Load test of `ae serve`: exports a dense and a convolutional autoencoder
// (untrained, 28×28 inputs; speed does not depend on the weights), serves
// them on 127.0.0.1 on a free port, and runs autocannon against them from a
// separate process, one bounded scenario after another. Prints a markdown
// table of requests per second, latency percentiles, failures and the
// server's peak resident memory. With --rounds N it is a soak check: the
// scenarios run N times, and it fails if the last round's peak memory
// exceeds the baseline's by more than 10% or any request fails; the
// baseline is the second round when there are three or more (the first
// warms up allocators and JIT), else the first.
//
//   pnpm --filter @aekit/serve... build && node packages/serve/scripts/load-test.mjs [--seconds 8] [--connections 8] [--threads n] [--rounds 1]
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { composeAutoencoder, composeLoss, LayersAutoencoder, meanSquaredError, stack, tf } from '@aekit/core';
import { exportAutoencoder, float32Bytes } from '@aekit/export-onnx';
import { serveModels } from '../dist/index.js';
import { runCannon } from './run-cannon.mjs';

const arg = (name, fallback) => Number(process.argv[process.argv.indexOf(name) + 1]) || fallback;
const seconds = arg('--seconds', 8);
const connections = arg('--connections', 8);
const threads = arg('--threads', undefined);
const rounds = arg('--rounds', 1);
const L = tf.layers;

function autoencoder(family, inputShape, encode, decode) {
  const parts = composeAutoencoder({ inputShape, encode: stack(encode), decode: stack(decode) });
  return new LayersAutoencoder({ family, config: {}, ...parts, loss: composeLoss(meanSquaredError()) });
}

const models = {
  dense: autoencoder(
    'dense',
    [784],
    [L.dense({ units: 256, activation: 'relu' }), L.dense({ units: 32, activation: 'relu' })],
    [L.dense({ units: 256, activation: 'relu' }), L.dense({ units: 784, activation: 'sigmoid' })],
  ),
  conv: autoencoder(
    'conv',
    [28, 28, 1],
    [
      L.conv2d({ filters: 16, kernelSize: 3, padding: 'same', activation: 'relu' }),
      L.maxPooling2d({ poolSize: 2 }),
      L.conv2d({ filters: 8, kernelSize: 3, padding: 'same', activation: 'relu' }),
      L.maxPooling2d({ poolSize: 2 }),
    ],
    [
      L.upSampling2d({ size: [2, 2] }),
      L.conv2d({ filters: 16, kernelSize: 3, padding: 'same', activation: 'relu' }),
      L.upSampling2d({ size: [2, 2] }),
      L.conv2d({ filters: 1, kernelSize: 3, padding: 'same', activation: 'sigmoid' }),
    ],
  ),
};

const dir = await mkdtemp(join(os.tmpdir(), 'aekit-load-'));
for (const [name, model] of Object.entries(models)) {
  for (const part of ['full', 'encoder', 'decoder']) {
    await writeFile(join(dir, part === 'full' ? `${name}.onnx` : `${name}.${part}.onnx`), exportAutoencoder(model, { part, dataShape: [28, 28, 1] }));
  }
  model.dispose();
}

const digit = (n) => Array.from({ length: n }, (_, i) => Array.from({ length: 784 }, (_, j) => ((i + j) % 17) / 17));
const scenarios = [
  { title: 'dense reconstruct, JSON, 1 image', path: '/v1/models/dense/reconstruct', json: { inputs: digit(1) } },
  { title: 'dense score, JSON, 32 images', path: '/v1/models/dense/score', json: { inputs: digit(32) } },
  { title: 'dense encode, float32, 64 images', path: '/v1/models/dense/encode', binary: float32Bytes(Float32Array.from(digit(64).flat())) },
  { title: 'conv reconstruct, float32, 16 images', path: '/v1/models/conv/reconstruct', binary: float32Bytes(Float32Array.from(digit(16).flat())) },
  { title: 'conv reconstruct, JSON, 1 image', path: '/v1/models/conv/reconstruct', json: { inputs: digit(1) } },
];

/** Runs autocannon in its own process and returns its JSON summary. */
async function cannon(url, scenario) {
  const bodyFile = join(dir, 'body');
  await writeFile(bodyFile, scenario.binary ?? JSON.stringify(scenario.json));
  return runCannon(url + scenario.path, scenario.binary ? 'application/octet-stream' : 'application/json', bodyFile, connections, seconds);
}

const running = await serveModels([dir], { port: 0, host: '127.0.0.1', maxBatch: 256, threads });
const rows = [];
const roundPeaks = [];
const loadBefore = os.loadavg()[0];
let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 250);
try {
  for (let round = 1; round <= rounds; round++) {
    let roundPeak = 0;
    for (const scenario of scenarios) {
      peakRss = process.memoryUsage().rss;
      const r = await cannon(running.url, scenario);
      roundPeak = Math.max(roundPeak, peakRss);
      const title = rounds > 1 ? `${scenario.title} (round ${round})` : scenario.title;
      rows.push([title, r.requests.average, r.latency.p50, r.latency.p90, r.latency.p99, r.latency.max, r.requests.total, r.non2xx + r.errors + r.timeouts, peakRss / 2 ** 20]);
    }
    roundPeaks.push(roundPeak / 2 ** 20);
  }
  const health = await fetch(`${running.url}/health`);
  if (health.status !== 200) throw new Error(`server unhealthy after the load: ${health.status}`);
} finally {
  clearInterval(sampler);
  await running.close();
  await rm(dir, { recursive: true, force: true });
}

const cpus = os.cpus();
console.log(
  `autocannon ${connections} connections × ${seconds} s a scenario, loopback; onnxruntime threads: ${threads ?? 'default'}; ` +
    `${cpus.length} cores, ${cpus[0]?.model.trim()}; ` +
    `Node ${process.version}; load average ${loadBefore.toFixed(1)} before, ${os.loadavg()[0].toFixed(1)} after\n`,
);
console.log('| scenario | req/s | p50 ms | p90 ms | p99 ms | max ms | requests | non-2xx + errors | server peak RSS MB |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const [title, rps, p50, p90, p99, max, total, failed, rss] of rows) {
  console.log(`| ${title} | ${Math.round(rps)} | ${p50} | ${p90} | ${p99} | ${max} | ${total} | ${failed} | ${rss.toFixed(0)} |`);
}
const baseline = roundPeaks.length >= 3 ? roundPeaks[1] : roundPeaks[0];
const grew = roundPeaks.length > 1 && roundPeaks[roundPeaks.length - 1] > baseline * 1.1;
if (rounds > 1) console.log(`\npeak RSS per round (MB): ${roundPeaks.map((v) => v.toFixed(0)).join(', ')}; memory ${grew ? 'GREW' : 'flat'}`);
if (rows.some((row) => row[7] > 0) || grew) process.exitCode = 1;
