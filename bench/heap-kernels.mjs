// The heap kernels' C build against an earlier build of the same module
// (by default the hand-written WebAssembly text it replaced), each heap
// function called directly on the same tensors of tfjs' wasm heap, the two
// modules in turns, on the conv family's shapes:
//   node bench/heap-kernels.mjs [--rounds N] [--wat-from <git commit>]
// Prints a markdown table of median milliseconds per call, and checks that
// both modules write the same bits. Not part of CI. Needs git (for the old
// source) and a built @aekit/core.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { tf, useBackend } from '@aekit/core';
import { registerWasmKernels } from '@aekit/kernels-wasm';

const { values: args } = parseArgs({
  options: { rounds: { type: 'string', default: '30' }, 'wat-from': { type: 'string', default: 'd03f26d' } },
});
const rounds = Number(args.rounds);
tf.enableProdMode();
registerWasmKernels();
await useBackend('wasm');
const backend = tf.backend();
const memory = backend.wasm.asm.memory;

const wat = execFileSync('git', ['show', `${args['wat-from']}:packages/core/wasm/heap-kernels.wat`], { encoding: 'utf8', maxBuffer: 1 << 26 });
// wabt is @aekit/core's dev dependency (it assembled the WAT there).
const wabtPath = createRequire(new URL('../packages/kernels-wasm/package.json', import.meta.url)).resolve('wabt');
const { default: wabt } = await import(pathToFileURL(wabtPath).href);
const { parseWat } = await wabt();
const parsed = parseWat('heap-kernels.wat', wat, { simd: true, bulk_memory: true });
const watBytes = parsed.toBinary({}).buffer;
parsed.destroy();
const old = new WebAssembly.Instance(new WebAssembly.Module(watBytes), { tfjs: { memory } }).exports;
const { HEAP_KERNELS_WASM_BASE64 } = await import('../packages/kernels-wasm/dist/heap/heap-module.js');
const cBytes = Uint8Array.from(atob(HEAP_KERNELS_WASM_BASE64), (ch) => ch.charCodeAt(0));
const current = new WebAssembly.Instance(new WebAssembly.Module(cBytes), { env: { memory } }).exports;

const at = (t) => backend.dataIdMap.get(t.dataId).memoryOffset;
const bits = (t) => new Uint32Array(backend.typedArrayFromHeap(t).slice().buffer);

/**
 * Median ms per step of the WAT and the C function `name`, in turns, and
 * whether their outputs agree bit for bit: a step calls it once for each
 * argument list `args(out)` returns (`out` the output's heap offset).
 */
function compare(name, outShape, args) {
  const out = tf.zeros(outShape);
  const calls = args(at(out));
  const run = (module) => {
    for (const call of calls) module[name](...call);
  };
  run(old);
  const reference = bits(out);
  run(current);
  const same = bits(out).every((v, i) => v === reference[i]);
  for (let i = 0; i < 3; i++) (run(old), run(current));
  const times = [[], []];
  for (let i = 0; i < rounds; i++) {
    [old, current].forEach((module, m) => {
      const start = performance.now();
      run(module);
      times[m].push(performance.now() - start);
    });
  }
  out.dispose();
  const sorted = times.map((t) => t.sort((a, b) => a - b));
  return [...sorted.map((t) => t[t.length >> 1]), ...sorted.map((t) => t[0]), same];
}

const window = (batch, size, channels, filter = 3, stride = 1, pad = 1, out = size) => [batch, size, size, channels, out, out, filter, filter, stride, stride, pad, pad];
const rows = [];
const row = (step, name, outShape, args) => rows.push([step, name, ...compare(name, outShape, (o) => [args(o)])]);
const rowOfCalls = (step, name, outShape, calls) => rows.push([step, name, ...compare(name, outShape, calls)]);
{
  const x1 = tf.randomNormal([256, 28, 28, 1]);
  const x16 = tf.randomNormal([256, 28, 28, 16]);
  const dy16 = tf.randomNormal([256, 28, 28, 16]);
  const dy1 = tf.randomNormal([256, 28, 28, 1]);
  row('filter gradient, 1 to 16 channels, [256, 28, 28]', 'filterGradient', [3, 3, 1, 16], (o) => [at(x1), at(dy16), o, ...window(256, 28, 16), 1, 0]);
  row('filter gradient, 16 to 1 channel, [256, 28, 28]', 'filterGradient', [3, 3, 16, 1], (o) => [at(x16), at(dy1), o, ...window(256, 28, 16), 1, 1]);
  for (const [batch, size, ci, co] of [[128, 14, 16, 8], [128, 14, 8, 16], [128, 14, 32, 32]]) {
    const x = tf.randomNormal([batch, size, size, ci]);
    const dy = tf.randomNormal([batch, size, size, co]);
    const xIsWide = ci > co ? 1 : 0;
    const [wide, scalar] = xIsWide ? [ci, co] : [co, ci];
    row(`filter gradient, ${ci} to ${co} channels, [${batch}, ${size}, ${size}]`, 'filterGradient', [3, 3, ci, co], (o) => [at(x), at(dy), o, ...window(batch, size, wide), scalar, xIsWide]);
  }
  // The 784 calls the Transpose kernel makes for [256, 28, 28, 16] by [3, 1, 2, 0].
  rowOfCalls('transpose [256, 784, 16] to [16, 784, 256] (784 matrices)', 'transpose2d', [16, 784, 256], (o) =>
    Array.from({ length: 784 }, (_, i) => [at(x16) + i * 16 * 4, o + i * 256 * 4, 256, 16, 784 * 16, 784 * 256]),
  );
  row('swap outer axes [256, 784, 16] to [784, 256, 16]', 'swapOuterAxes', [784, 256, 16], (o) => [at(x16), o, 256, 784, 16]);
  const pooledGradient = tf.randomNormal([256, 14, 14, 16]);
  row('max-pooling gradient, 2x2 by 2, [256, 28, 28, 16]', 'maxPoolGradient', [256, 28, 28, 16], (o) => [at(x16), at(pooledGradient), o, 256, 28, 28, 16, 14, 14, 2, 2, 2, 2, 0, 0]);
  const w16to1 = tf.randomNormal([3, 3, 16, 1]);
  const bias1 = tf.randomNormal([1]);
  row('convolution 16 to 1 channel with bias, [256, 28, 28]', 'singleOutputConvolution', [256, 28, 28, 1], (o) => [at(x16), at(w16to1), at(bias1), o, ...window(256, 28, 16)]);
  const w1to16 = tf.randomNormal([3, 3, 1, 16]);
  row('convolution 1 to 16 channels, [256, 28, 28]', 'singleInputConvolution', [256, 28, 28, 16], (o) => [at(x1), at(w1to16), -1, o, ...window(256, 28, 16)]);
  const small = tf.randomNormal([256, 14, 14, 16]);
  row('up-sampling 2x, [256, 14, 14, 16]', 'upsampleNearest', [256, 28, 28, 16], (o) => [at(small), o, 256, 14, 14, 16, 2, 2]);
  row('up-sampling 2x gradient, [256, 28, 28, 16]', 'upsampleNearestGradient', [256, 14, 14, 16], (o) => [at(dy16), o, 256, 14, 14, 16, 2, 2]);
  const bias16 = tf.randomNormal([16]);
  row('bias add, [256, 28, 28, 16] + [16]', 'addToRows', [256, 28, 28, 16], (o) => [at(x16), at(bias16), o, 256 * 784, 16]);
  row('sum [256, 28, 28, 16] over axes 0, 1, 2', 'sumRows', [16], (o) => [at(x16), o, 256 * 784, 16]);
  row('sum [256, 28, 28, 1] over axes 0, 1, 2', 'sumRows', [1], (o) => [at(x1), o, 256 * 784, 1]);
  row('ReLU gradient, [256, 28, 28, 16]', 'reluGradient', [256, 28, 28, 16], (o) => [at(x16), at(dy16), o, 256 * 784 * 16]);
  const p = tf.sigmoid(x1);
  const t = tf.randomUniform([256, 28, 28, 1]);
  row('binary cross-entropy, [256, 28, 28, 1]', 'binaryCrossEntropy', [256, 28, 28, 1], (o) => [at(p), at(t), o, 256 * 784]);
  row('binary cross-entropy gradient, [256, 28, 28, 1]', 'binaryCrossEntropyGradient', [256, 28, 28, 1], (o) => [at(p), at(t), at(dy1), o, 256 * 784]);
  // Adam on a [784, 128] weight; the new m and v go to two more buffers.
  const n = 784 * 128;
  const [value, m, v, g, newM, newV] = Array.from({ length: 6 }, () => tf.randomUniform([n]));
  row('Adam update, 100,352 weights', 'adamUpdate', [n], (o) => [at(value), at(m), at(v), at(g), o, at(newM), at(newV), n, 0.9, 0.1, 0.999, 0.001, 0.1, 0.001, 1e-7, -0.001]);
}

console.log(`heap kernels, ms per step over ${rounds} steps each, the WAT (${args['wat-from']}) and the C build called in turns (Node ${process.version}); median, and fastest (the least disturbed by other load)\n`);
console.log('| step | heap function | WAT median | C median | C speed (median) | WAT fastest | C fastest | C speed (fastest) | same bits |');
console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |');
const ms = (v) => v.toFixed(2);
for (const [step, name, before, after, beforeMin, afterMin, same] of rows) {
  const cells = [ms(before), ms(after), `${(before / after).toFixed(2)}x`, ms(beforeMin), ms(afterMin), `${(beforeMin / afterMin).toFixed(2)}x`];
  console.log(`| ${step} | \`${name}\` | ${cells.join(' | ')} | ${same ? 'yes' : 'no'} |`);
}
