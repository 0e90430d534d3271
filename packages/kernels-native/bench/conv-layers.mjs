// Each convolution of the conv family's training step (batch 256, MNIST), kernel by kernel,
// native against wasm in turns:
//   node packages/kernels-native/bench/conv-layers.mjs [batch] [rounds] [reps] [--cpu] [--out FILE]
// Prints, per layer and kernel, the median milliseconds of a call on each backend
// (each round times `reps` calls on wasm, then on native) and their ratio: the
// process's CPU time (user + system) with --cpu, which is steadier than wall-clock
// time on a shared machine (run native on one thread then: AEKIT_NATIVE_THREADS=1).
// With --out FILE (bench/results.md) the table is also appended to FILE as a
// section naming the command, the date and the load.
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { tf, useBackend } from '@aekit/core';
import '@aekit/kernels-native';
import { appendResults } from './results-file.mjs';

const { values: options, positionals } = parseArgs({ allowPositionals: true, options: { cpu: { type: 'boolean', default: false }, out: { type: 'string' } } });
const { cpu } = options;
const [batchText = '256', roundsText = '5', repsText = '5'] = positionals;
const loadAtStart = loadavg()[0];
const clock = () => (cpu ? ((u) => (u.user + u.system) / 1000)(process.cpuUsage()) : performance.now());
const [batch, rounds, reps] = [Number(batchText), Number(roundsText), Number(repsText)];
tf.enableProdMode();

// [name, input [h, w, c], filter [fh, fw, c, out], padding]: the conv family's layers, in order.
const LAYERS = [
  ['enc 28x28 1->16', [28, 28, 1], [3, 3, 1, 16], 'same'],
  ['enc 14x14 16->8', [14, 14, 16], [3, 3, 16, 8], 'same'],
  ['enc 7x7 8->8', [7, 7, 8], [3, 3, 8, 8], 'same'],
  ['dec 4x4 8->8', [4, 4, 8], [3, 3, 8, 8], 'same'],
  ['dec 8x8 8->8', [8, 8, 8], [3, 3, 8, 8], 'same'],
  ['dec 16x16 8->16 valid', [16, 16, 8], [3, 3, 8, 16], 'valid'],
  ['dec 28x28 16->1', [28, 28, 16], [3, 3, 16, 1], 'same'],
];

const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
const times = new Map();
for (let round = 0; round < rounds; round++) {
  for (const backend of ['wasm', 'native']) {
    await useBackend(backend);
    for (const [name, xShape, wShape, pad] of LAYERS) {
      const x = tf.randomUniform([batch, ...xShape]);
      const w = tf.randomUniform(wShape, -0.3, 0.3);
      const y = tf.conv2d(x, w, 1, pad);
      const dy = tf.randomUniform(y.shape);
      const calls = {
        Conv2D: () => tf.conv2d(x, w, 1, pad),
        Conv2DBackpropInput: () => tf.conv2dTranspose(dy, w, x.shape, 1, pad),
        Conv2DBackpropFilter: () => tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { strides: 1, pad, dataFormat: 'NHWC', dimRoundingMode: undefined, filterShape: wShape }),
      };
      for (const [kernel, call] of Object.entries(calls)) {
        call().dataSync();
        const start = clock();
        for (let r = 0; r < reps; r++) call().dispose();
        tf.zeros([1]).dataSync();
        const key = `${name}|${kernel}|${backend}`;
        times.set(key, [...(times.get(key) ?? []), (clock() - start) / reps]);
      }
      tf.dispose([x, w, y, dy]);
    }
  }
}
const total = { wasm: 0, native: 0 };
const threads = process.env.AEKIT_NATIVE_THREADS ? `native on ${process.env.AEKIT_NATIVE_THREADS} thread(s)` : 'native on every core';
const lines = [
  `Batch ${batch}, ${rounds} rounds of ${reps} calls, wasm then native in each round; ${cpu ? "the process's CPU" : 'wall-clock'} milliseconds a call, median of the rounds; ${threads}.`,
  '',
  '| layer | kernel | wasm | native | native / wasm time |',
  '| --- | --- | ---: | ---: | ---: |',
];
for (const [name] of LAYERS)
  for (const kernel of ['Conv2D', 'Conv2DBackpropInput', 'Conv2DBackpropFilter']) {
    const [w, n] = ['wasm', 'native'].map((b) => median(times.get(`${name}|${kernel}|${b}`)));
    total.wasm += w;
    total.native += n;
    lines.push(`| ${name} | ${kernel} | ${w.toFixed(2)} | ${n.toFixed(2)} | ${(n / w).toFixed(2)} |`);
  }
lines.push(`| all | | ${total.wasm.toFixed(2)} | ${total.native.toFixed(2)} | ${(total.native / total.wasm).toFixed(2)} |`);
console.log(lines.join('\n'));
if (options.out) appendResults(options.out, 'conv-layers.mjs', loadAtStart, lines);
