// Load before and after: requests per second and p99 latency of `ae serve`
// at 1, 32 and 256 concurrent connections, for the server as it was before
// @aekit/serve (the one in @aekit/export-onnx at --before-rev) and as it is
// now, measured in turns in one run on loopback. Each server runs in a
// process of its own (bench/load-server.mjs) with the same model, batching
// and queue settings; autocannon runs in a third process
// (scripts/cannon.mjs), each run bounded by --seconds and --max-requests;
// the two servers alternate which goes first in each round, so both meet
// the same machine. Writes the figures to results/load.json, the table to
// results/load.md and their chart to results/load.png (drawn by
// bench/load-chart.mjs, which redraws them from the JSON alone).
//
//   pnpm --filter @aekit/serve... build && node packages/serve/bench/load.mjs --before-rev 1ae1fcf [--seconds 3] [--rounds 2] [--max-requests 30000]
//   node packages/serve/bench/load.mjs --before /path/to/old/packages/export-onnx/dist/index.js   (an old build at hand)
//
// --before-rev extracts that commit with `git archive` into a temporary
// directory, installs it (`pnpm install --frozen-lockfile --offline`) and
// builds its @aekit/export-onnx there (a few minutes), then deletes it.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { composeAutoencoder, composeLoss, LayersAutoencoder, meanSquaredError, stack, tf } from '@aekit/core';
import { exportAutoencoder } from '@aekit/export-onnx';
import { runCannon } from '../scripts/run-cannon.mjs';
import { loadMarkdown, writeLoadResults } from './load-chart.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..', '..', '..');
const option = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i < 0 ? fallback : process.argv[i + 1];
};
const seconds = Number(option('--seconds', 3));
const rounds = Number(option('--rounds', 2));
const maxRequests = Number(option('--max-requests', 30000));
const connectionCounts = [1, 32, 256];
const settings = { maxBatch: 256, maxQueue: 1024, maxDelayMs: 0 };
const git = (...args) => execFileSync('git', ['-C', repo, ...args], { encoding: 'utf8' }).trim();

/** The old server's module: given, or built from a commit in a temporary copy. */
function beforeModule(work) {
  const given = option('--before');
  if (given) {
    let rev = 'unknown commit';
    try {
      rev = execFileSync('git', ['-C', dirname(given), 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
    } catch {
      // not in a git checkout
    }
    return { module: given, rev, label: `@aekit/export-onnx's server built at ${rev}`, cleanup: () => {} };
  }
  const rev = git('rev-parse', '--short', option('--before-rev', '1ae1fcf'));
  const copy = join(work, 'before');
  mkdirSync(copy);
  console.log(`building @aekit/export-onnx of ${rev} in ${copy} …`);
  execFileSync('sh', ['-c', `git -C "${repo}" archive ${rev} | tar -x -C "${copy}"`], { stdio: 'inherit' });
  const run = (cmd, args) => execFileSync(cmd, args, { cwd: copy, stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, ONNXRUNTIME_NODE_INSTALL: 'skip' } });
  try {
    run('pnpm', ['install', '--frozen-lockfile', '--offline']);
  } catch {
    run('pnpm', ['install', '--frozen-lockfile']);
  }
  run('pnpm', ['--filter', '@aekit/export-onnx...', 'build']);
  return { module: join(copy, 'packages', 'export-onnx', 'dist', 'index.js'), rev, label: `commit ${rev} (@aekit/export-onnx's server)`, cleanup: () => rmSync(copy, { recursive: true, force: true }) };
}

/** Starts bench/load-server.mjs on a module; resolves with its URL and process. */
function startServer(module, dir) {
  const child = spawn(process.execPath, [join(here, 'load-server.mjs'), module, JSON.stringify(settings), dir], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const url = /^(http:\/\/\S+)$/m.exec(out)?.[1];
      if (url) resolve({ url, child });
    });
    child.once('exit', (code) => reject(new Error(`a server exited (${code}) before listening`)));
  });
}

function cannon(url, bodyFile, connections) {
  return runCannon(`${url}/v2/models/conv/infer`, 'application/json', bodyFile, connections, seconds, { maxOverallRequests: maxRequests });
}

async function residentMegabytes(url) {
  const text = await (await fetch(`${url}/metrics`)).text();
  return Number(/^process_resident_memory_bytes (\S+)$/m.exec(text)?.[1] ?? NaN) / 2 ** 20;
}

const work = mkdtempSync(join(os.tmpdir(), 'aekit-load-'));
const before = beforeModule(work);
const servers = [];
try {
  // The classic convolutional autoencoder, 28×28×1, untrained (speed does not depend on the weights).
  const L = tf.layers;
  const parts = composeAutoencoder({
    inputShape: [28, 28, 1],
    encode: stack([L.conv2d({ filters: 16, kernelSize: 3, padding: 'same', activation: 'relu' }), L.maxPooling2d({ poolSize: 2 }), L.conv2d({ filters: 8, kernelSize: 3, padding: 'same', activation: 'relu' }), L.maxPooling2d({ poolSize: 2 })]),
    decode: stack([L.upSampling2d({ size: [2, 2] }), L.conv2d({ filters: 16, kernelSize: 3, padding: 'same', activation: 'relu' }), L.upSampling2d({ size: [2, 2] }), L.conv2d({ filters: 1, kernelSize: 3, padding: 'same', activation: 'sigmoid' })]),
  });
  const model = new LayersAutoencoder({ family: 'conv', config: {}, ...parts, loss: composeLoss(meanSquaredError()) });
  const dir = join(work, 'models');
  mkdirSync(dir);
  writeFileSync(join(dir, 'conv.onnx'), exportAutoencoder(model, { part: 'full', dataShape: [28, 28, 1] }));
  model.dispose();
  const bodyFile = join(work, 'body.json');
  writeFileSync(bodyFile, JSON.stringify({ inputs: [{ name: 'input', shape: [1, 28, 28, 1], datatype: 'FP32', data: Array.from({ length: 784 }, (_, i) => (i % 17) / 17) }] }));

  const named = [
    { name: 'before', ...(await startServer(before.module, dir)) },
    { name: 'after', ...(await startServer(join(here, '..', 'dist', 'index.js'), dir)) },
  ];
  servers.push(...named);
  const loadBefore = os.loadavg()[0];
  const rows = [];
  for (const connections of connectionCounts) {
    const runs = Object.fromEntries(named.map((s) => [s.name, { requests: 0, duration: 0, p99: [], failed: 0 }]));
    for (let round = 0; round < rounds; round++) {
      for (const server of round % 2 === 0 ? named : [...named].reverse()) {
        const r = await cannon(server.url, bodyFile, connections);
        const run = runs[server.name];
        run.requests += r.requests.total;
        run.duration += r.duration;
        run.p99.push(r.latency.p99);
        run.failed += r.non2xx + r.errors + r.timeouts;
      }
    }
    const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
    for (const { name } of named) {
      const run = runs[name];
      rows.push({ connections, name, rps: run.requests / run.duration, p99: median(run.p99), requests: run.requests, failed: run.failed });
    }
  }
  const memory = Object.fromEntries(await Promise.all(named.map(async (s) => [s.name, await residentMegabytes(s.url)])));
  for (const s of named) if ((await fetch(`${s.url}/v2/health/ready`)).status !== 200) throw new Error(`the ${s.name} server is not ready after the load`);

  const cpus = os.cpus();
  const revision = git('rev-parse', '--short', 'HEAD');
  const figures = {
    command: 'node packages/serve/bench/load.mjs' + (process.argv.length > 2 ? ` ${process.argv.slice(2).join(' ')}` : ''),
    date: new Date().toISOString().slice(0, 10),
    before: { revision: before.rev, label: before.label },
    after: { revision, label: `@aekit/serve at ${revision}${git('status', '--porcelain', '--', 'packages/serve/src', 'packages/export-onnx/src') ? ' with uncommitted changes to src/' : ''}` },
    settings,
    seconds,
    rounds,
    maxRequests,
    machine: { cores: cpus.length, cpu: cpus[0]?.model.trim(), node: process.version },
    loadAverage: { before: loadBefore, after: os.loadavg()[0] },
    rows,
    residentMegabytes: memory,
  };
  await writeLoadResults(figures);
  console.log(loadMarkdown(figures));
} finally {
  for (const s of servers) s.child.kill('SIGTERM');
  before.cleanup();
  rmSync(work, { recursive: true, force: true });
}
