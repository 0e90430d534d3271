// Inference speed: a tfjs model on tfjs' default Node backend (wasm) against
// its ONNX conversion in onnxruntime-node (CPU), for a dense and the classic
// convolutional autoencoder at batch sizes 1 and 256. Prints a markdown table
// and writes the figures to results/inference.json, the table to
// results/inference.md and their chart to results/inference.png (drawn by
// bench/inference-chart.mjs, which redraws it from the JSON alone).
//
//   pnpm --filter @aekit/export-onnx... build && node packages/export-onnx/bench/inference.mjs [--seconds 2] [--rounds 3]
//
// Each configuration runs the model repeatedly for about `--seconds` after a
// warm-up, in `--rounds` rounds that alternate between the runtimes, and the
// median round is reported in images per second (higher is better). tfjs' wasm backend runs
// on one thread in Node; onnxruntime is measured on one thread and with its
// default thread pool (all cores). The load average is printed because on a
// shared machine it changes everything.
import os from 'node:os';
import { tf, useBackend } from '@aekit/core';
import { registerWasmKernels } from '@aekit/kernels-wasm';
import { OnnxModel, toOnnx } from '../dist/index.js';
import { inferenceTable, writeInferenceResults } from './inference-chart.mjs';

const option = (name, fallback) => Number(process.argv[process.argv.indexOf(name) + 1]) || fallback;
const seconds = option('--seconds', 2);
const rounds = option('--rounds', 3);
const L = tf.layers;

/** 784 → 256 → 64 → 32 → 64 → 256 → 784, relu and a sigmoid output. */
function denseAutoencoder() {
  return tf.sequential({
    name: 'dense',
    layers: [
      L.dense({ inputShape: [784], units: 256, activation: 'relu' }),
      L.dense({ units: 64, activation: 'relu' }),
      L.dense({ units: 32, activation: 'relu' }),
      L.dense({ units: 64, activation: 'relu' }),
      L.dense({ units: 256, activation: 'relu' }),
      L.dense({ units: 784, activation: 'sigmoid' }),
    ],
  });
}

/** The classic convolutional autoencoder for 28×28 digits (Conv2D 16-8-8, max pooling, nearest up-sampling). */
function convAutoencoder() {
  return tf.sequential({
    name: 'conv',
    layers: [
      L.conv2d({ inputShape: [28, 28, 1], filters: 16, kernelSize: 3, padding: 'same', activation: 'relu' }),
      L.maxPooling2d({ poolSize: 2, padding: 'same' }),
      L.conv2d({ filters: 8, kernelSize: 3, padding: 'same', activation: 'relu' }),
      L.maxPooling2d({ poolSize: 2, padding: 'same' }),
      L.conv2d({ filters: 8, kernelSize: 3, padding: 'same', activation: 'relu' }),
      L.maxPooling2d({ poolSize: 2, padding: 'same' }),
      L.conv2d({ filters: 8, kernelSize: 3, padding: 'same', activation: 'relu' }),
      L.upSampling2d({ size: [2, 2] }),
      L.conv2d({ filters: 8, kernelSize: 3, padding: 'same', activation: 'relu' }),
      L.upSampling2d({ size: [2, 2] }),
      L.conv2d({ filters: 16, kernelSize: 3, activation: 'relu' }),
      L.upSampling2d({ size: [2, 2] }),
      L.conv2d({ filters: 1, kernelSize: 3, padding: 'same', activation: 'sigmoid' }),
    ],
  });
}

/**
 * Runs `step` (which processes `batch` images) for about `seconds`; returns
 * images per second of wall-clock time and per second of this process's CPU
 * time. On a busy machine the second is the steadier measure of how much
 * work a runtime needs per image (for single-threaded runs).
 */
async function throughput(step, batch) {
  for (let i = 0; i < 3; i++) await step();
  let runs = 0;
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  while (performance.now() - start < seconds * 1000) {
    await step();
    runs++;
  }
  const cpu = process.cpuUsage(cpuStart);
  return { wall: (runs * batch) / ((performance.now() - start) / 1000), cpu: (runs * batch) / ((cpu.user + cpu.system) / 1e6) };
}

/** Median wall-clock and median CPU-time throughput of the rounds. */
function median(list) {
  const middle = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  return { wall: middle(list.map((r) => r.wall)), cpu: middle(list.map((r) => r.cpu)) };
}

registerWasmKernels();
await useBackend('wasm');
const loadBefore = os.loadavg()[0];
const rows = [];
for (const build of [denseAutoencoder, convAutoencoder]) {
  const model = build();
  const bytes = toOnnx(model);
  const onnxSingle = await OnnxModel.load(bytes, { threads: 1 });
  const onnxPool = await OnnxModel.load(bytes);
  const itemShape = model.inputs[0].shape.slice(1);
  const size = itemShape.reduce((a, b) => a * b, 1);
  for (const batch of [1, 256]) {
    const data = Float32Array.from({ length: batch * size }, () => Math.random());
    const x = tf.tensor(data, [batch, ...itemShape]);
    const runners = {
      tfjs: async () => {
        const y = model.predict(x, { batchSize: batch });
        await y.data();
        y.dispose();
      },
      single: () => onnxSingle.run(data, batch),
      pool: () => onnxPool.run(data, batch),
    };
    const results = { tfjs: [], single: [], pool: [] };
    for (let round = 0; round < rounds; round++) {
      for (const [key, step] of Object.entries(runners)) results[key].push(await throughput(step, batch));
    }
    const { tfjs, single, pool } = Object.fromEntries(Object.entries(results).map(([key, list]) => [key, median(list)]));
    rows.push({
      model: model.name,
      batch,
      imagesPerSecond: { tfjs: tfjs.wall, onnxSingle: single.wall, onnxPool: pool.wall },
      cpuImagesPerSecond: { tfjs: tfjs.cpu, onnxSingle: single.cpu },
    });
    x.dispose();
  }
  await onnxSingle.close();
  await onnxPool.close();
  model.dispose();
}

const cpus = os.cpus();
const figures = {
  command: `node packages/export-onnx/bench/inference.mjs${process.argv.length > 2 ? ` ${process.argv.slice(2).join(' ')}` : ''}`,
  date: new Date().toISOString().slice(0, 10),
  machine: { cores: cpus.length, cpu: cpus[0]?.model.trim(), node: process.version },
  loadAverage: { before: loadBefore, after: os.loadavg()[0] },
  seconds,
  rounds,
  rows,
};
await writeInferenceResults(figures);
console.log(inferenceTable(figures));
