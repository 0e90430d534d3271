// Where one training step's time goes, as `pnpm bench` trains (fit, batch 256, adam, MNIST):
//
//   node packages/kernels-native/bench/step-profile.mjs [--backend native] [--families dense,deep,vae] [--steps 32] [--out FILE]
//
// For each family, three measurements in one process:
// 1. `fit` over `steps` batches (as bench/train-js.mjs runs it): each step's
//    wall-clock time from its batch-end callback, the first apart (warm-up).
// 2. The trainer's step taken apart (the same calls as core's trainStep, in
//    order, on the same batches): the batch's assembly, the forward pass and
//    gradients, the loss read back, the optimizer's update and the disposal,
//    each timed; median over the steps.
// 3. Every kernel of a step, timed by tfjs' profiler (`tf.profile`, with
//    output checking off), summed by kernel and input shapes; ops that wrap
//    kernels of their own (custom gradients such as `fusedMatMul__op`) are
//    listed but not summed. What
//    the step's parts take beyond their kernels is JavaScript: tfjs' dispatch
//    and tape, the model's layers, the trainer.
// 4. Where the main thread's time goes over the same steps, by function
//    (V8's sampling profiler, through node:inspector): JavaScript functions by
//    their own time, native calls (the addon's kernels, the wasm module's
//    functions) and the garbage collector.
// Prints Markdown; with --out, appends it to FILE under the command and the load.
import { Session } from 'node:inspector/promises';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { createOptimizer, fit, modelInput, registry, tf, useBackend } from '@aekit/core';
// The trainer's own gradient step; not exported by core's index.
import { batchGradients, disposeGradients, gradientMap } from '../../core/dist/trainer/gradients.js';
import { loadPlugins } from '@aekit/cli';
import '@aekit/kernels-native';
import { loadMnist } from '@aekit/data-mnist';
import { appendResults } from './results-file.mjs';

const { values: args } = parseArgs({
  options: {
    backend: { type: 'string', default: 'native' },
    families: { type: 'string', default: 'dense,deep,vae' },
    steps: { type: 'string', default: '32' },
    out: { type: 'string' },
  },
});
const steps = Number(args.steps);
const batchSize = 256;
const loadAtStart = loadavg()[0];
tf.enableProdMode();
// The profiler otherwise reads every kernel's output back to look for NaN.
tf.env().set('CHECK_COMPUTATION_FOR_ERRORS', false);
await loadPlugins();
await useBackend(args.backend);
const { train } = await loadMnist({ trainLimit: steps * batchSize });

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const ms = (x) => x.toFixed(2);
const batches = (n) => Array.from({ length: n }, (_, b) => Int32Array.from({ length: batchSize }, (_, i) => (b * batchSize + i) % train.size));

/** Step times of `fit` itself over `steps` batches, from its batch-end callback. */
async function fitSteps(family) {
  const ae = registry.create(family, {}, { seed: 0, dataShape: train.exampleShape });
  const times = [];
  let last = 0;
  const mark = () => {
    const t = performance.now();
    if (last) times.push(t - last);
    last = t;
  };
  const result = await fit(ae, train.reshape(ae.inputShape), { epochs: 1, batchSize, workers: 1, seed: 0, callbacks: [{ onEpochBegin: mark, onBatchEnd: mark }] });
  ae.dispose?.();
  return { first: times[0], rest: median(times.slice(1)), samplesPerSecond: result.samplesPerSecond };
}

/** The trainer's step, part by part (core's trainStep, unrolled), and a profiled one. */
async function stepParts(family) {
  const ae = registry.create(family, {}, { seed: 0, dataShape: train.exampleShape });
  const data = train.reshape(ae.inputShape);
  const optimizer = createOptimizer('adam', 1e-3);
  const parts = { 'batch assembly (dataset to tensor)': [], 'forward pass and gradients': [], 'loss read back': [], 'Adam update': [], 'disposal': [] };
  const names = Object.keys(parts);
  const step = async (indices, b, timed) => {
    const t = [performance.now()];
    const x = data.batch(indices);
    const input = modelInput(data, indices, x, undefined, b);
    t.push(performance.now());
    const result = batchGradients(ae, input, x, { epoch: 0, forwardSeed: b });
    tf.dispose([x, input]);
    t.push(performance.now());
    const read = await Promise.all([result.total, ...Object.values(result.terms)].map((s) => s.data()));
    t.push(performance.now());
    if (Number.isFinite(read[0][0])) optimizer.applyGradients(gradientMap(ae, result.grads));
    t.push(performance.now());
    disposeGradients(result);
    t.push(performance.now());
    if (timed) names.forEach((name, i) => parts[name].push(t[i + 1] - t[i]));
  };
  const order = batches(Math.max(steps, 3));
  for (let b = 0; b < 3; b++) await step(order[b], b, false);
  const wall = [];
  for (let b = 0; b < steps; b++) {
    const start = performance.now();
    await step(order[b], b, true);
    wall.push(performance.now() - start);
  }
  // Kernels: each profiled step's kernels, summed by name and input shapes.
  const kernels = new Map();
  const profiled = Math.min(steps, 8);
  for (let b = 0; b < profiled; b++) {
    const info = await tf.profile(() => step(order[b], b, false));
    for (const k of info.kernels) {
      const key = `${k.name} ${k.inputShapes.map((s) => (s ? `[${s.join(',')}]` : '-')).join(' ')}`;
      const entry = kernels.get(key) ?? { name: k.name, ms: 0, calls: 0 };
      entry.ms += typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
      entry.calls += 1;
      kernels.set(key, entry);
    }
  }
  // The main thread's time by function, over the same steps.
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
  await session.post('Profiler.start');
  for (let b = 0; b < steps; b++) await step(order[b], b, false);
  const { profile } = await session.post('Profiler.stop');
  session.disconnect();
  tf.dispose(optimizer.getWeights?.() ?? []);
  optimizer.dispose();
  ae.dispose?.();
  const rows = [...kernels].map(([key, e]) => ({ key, name: e.name, ms: e.ms / profiled, calls: e.calls / profiled })).sort((a, b) => b.ms - a.ms);
  return { parts: Object.fromEntries(names.map((n) => [n, median(parts[n])])), wall: median(wall), rows, functions: selfTimes(profile) };
}

/** A CPU profile's samples as shares of their time, by function (name and file), largest first. */
function selfTimes(profile) {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const byFunction = new Map();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const frame = nodes.get(id);
    // The first sample's delta is the wait for the profiler to start, and the
    // inspector's own dispatch (starting and stopping it) is no part of a step.
    if (i === 0 || (frame.functionName === 'dispatch' && !frame.url)) return;
    const dt = profile.timeDeltas[i] ?? 0;
    const file = frame.url ? ` (${frame.url.split('/').slice(-2).join('/')})` : '';
    const key = `${frame.functionName || '(anonymous)'}${file}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + dt);
    total += dt;
  });
  return [...byFunction].map(([name, t]) => ({ name, share: t / total })).sort((a, b) => b.share - a.share);
}

// Entries that are no kernel of the backend but wrap kernels (tfjs ops with a custom gradient, recorded under their own name).
const wrapper = (name) => !tf.getKernel(name, tf.getBackend());
const lines = [
  `Batch ${batchSize}, adam, MNIST, backend \`${args.backend}\`; ${steps} steps a measurement, after 3 warm-up steps for the parts; kernel times are the mean of ${Math.min(steps, 8)} profiled steps.`,
];
for (const family of args.families.split(',')) {
  const fitted = await fitSteps(family);
  const { parts, wall, rows, functions } = await stepParts(family);
  const kernelMs = rows.filter((r) => !wrapper(r.name)).reduce((s, r) => s + r.ms, 0);
  const kernelCalls = rows.filter((r) => !wrapper(r.name)).reduce((s, r) => s + r.calls, 0);
  const partsMs = Object.values(parts).reduce((a, b) => a + b, 0);
  lines.push(
    '',
    `### ${family}`,
    '',
    `\`fit\`: first step ${ms(fitted.first)} ms, then a median ${ms(fitted.rest)} ms a step; ${fitted.samplesPerSecond.toFixed(0)} samples/s over the ${steps} steps (the bench's figure).`,
    '',
    '| part of the trainer\'s step | ms (median) | share |',
    '| --- | ---: | ---: |',
    ...Object.entries(parts).map(([name, t]) => `| ${name} | ${ms(t)} | ${((100 * t) / partsMs).toFixed(0)}% |`),
    `| **whole step** (median of the steps) | **${ms(wall)}** | |`,
    '',
    `Kernels: ${kernelCalls.toFixed(0)} calls a step taking ${ms(kernelMs)} ms under the profiler; the other ${ms(Math.max(0, wall - kernelMs))} ms of the step is JavaScript around them (dispatch, tape, layers, trainer).`,
    '',
    '| kernel and input shapes | ms a step | calls | share of kernel time |',
    '| --- | ---: | ---: | ---: |',
    ...rows
      .filter((r) => r.ms >= 0.02 || wrapper(r.name))
      .map((r) => `| \`${r.key}\`${wrapper(r.name) ? ' (wraps kernels listed apart; not summed)' : ''} | ${ms(r.ms)} | ${r.calls} | ${wrapper(r.name) ? '' : `${((100 * r.ms) / kernelMs).toFixed(0)}%`} |`),
    `| every kernel under 0.02 ms (${rows.filter((r) => r.ms < 0.02 && !wrapper(r.name)).reduce((s, r) => s + r.calls, 0)} calls) | ${ms(rows.filter((r) => r.ms < 0.02 && !wrapper(r.name)).reduce((s, r) => s + r.ms, 0))} | | |`,
  );
  lines.push(
    '',
    `The main thread over ${steps} more steps, by function (V8's sampling profiler; \`(anonymous)\` without a file is native code: the addon's kernels; \`wasm-function\` the wasm backend's):`,
    '',
    '| function | share of the time |',
    '| --- | ---: |',
    ...functions.slice(0, 15).map((f) => `| \`${f.name}\` | ${(100 * f.share).toFixed(1)}% |`),
  );
  console.error(`${family}: ${ms(wall)} ms a step, kernels ${ms(kernelMs)} ms`);
}
console.log(lines.join('\n'));
if (args.out) appendResults(args.out, 'step-profile.mjs', loadAtStart, lines);
