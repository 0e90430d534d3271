// The wasm kernels aekit replaces, timed against what they replace, on the
// conv family's shapes at batch 256, in one process:
//   node bench/kernels.mjs [--rounds N]
// Prints a markdown table of median milliseconds per call. Not part of CI.
import { parseArgs } from 'node:util';
import { tf, useBackend } from '@aekit/core';
import { registerWasmKernels } from '@aekit/kernels-wasm';

const { values: args } = parseArgs({ options: { rounds: { type: 'string', default: '30' } } });
const rounds = Number(args.rounds);
tf.enableProdMode();
// tfjs' own kernels, taken before aekit registers its replacements.
const own = Object.fromEntries(['Transpose', 'Sum', 'MaxPoolGrad', 'ResizeNearestNeighbor', 'ResizeNearestNeighborGrad', 'Conv2D', 'FusedConv2D', 'Add', 'Cast'].map((name) => [name, tf.getKernel(name, 'wasm')]));
registerWasmKernels();
await useBackend('wasm');
const backend = tf.backend();

/**
 * Median milliseconds per call of `replaced` and of `aekit`, called in
 * turns so that both see the same state of a noisy machine; each result is
 * freed after its call.
 */
function compare(replaced, aekit) {
  const runs = [replaced, aekit];
  for (let i = 0; i < 3; i++) for (const run of runs) tf.dispose(run());
  const times = runs.map(() => []);
  for (let i = 0; i < rounds; i++) {
    runs.forEach((run, r) => {
      const start = performance.now();
      const out = run();
      times[r].push(performance.now() - start);
      tf.dispose(out);
    });
  }
  return times.map((t) => t.sort((a, b) => a - b)[t.length >> 1]);
}

/** Runs tfjs' own kernel `name` on the wasm backend, as a tensor. */
function runOwn(name, inputs, attrs) {
  const info = own[name].kernelFunc({ inputs, backend, attrs });
  return tf.engine().makeTensorFromTensorInfo(info);
}

/** The filter gradient as a forward convolution through XNNPACK (aekit's route for wider layers). */
function filterGradientAsConvolution(x, dy, xIsFilter) {
  return tf.tidy(() => {
    if (xIsFilter) {
      const product = tf.conv2d(tf.transpose(dy, [3, 1, 2, 0]), tf.transpose(x, [1, 2, 0, 3]), 1, [[0, 0], [1, 1], [1, 1], [0, 0]]);
      return tf.transpose(tf.reverse(product, [1, 2]), [1, 2, 3, 0]);
    }
    const product = tf.conv2d(tf.transpose(x, [3, 1, 2, 0]), tf.transpose(dy, [1, 2, 0, 3]), 1, [[0, 0], [1, 1], [1, 1], [0, 0]]);
    return tf.transpose(product, [1, 2, 0, 3]);
  });
}

/** A filter gradient through a convolution whose padding is 'same' for a 3x3 filter. */
const filterGradient = (x, dy, filterShape) => () => tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { strides: 1, pad: 'same', filterShape });
const rows = [];
{
  const x = tf.randomNormal([256, 28, 28, 1]);
  const dy = tf.randomNormal([256, 28, 28, 16]);
  rows.push(['filter gradient, 1 to 16 channels, [256, 28, 28]', 'as an XNNPACK convolution', ...compare(() => filterGradientAsConvolution(x, dy, false), filterGradient(x, dy, [3, 3, 1, 16]))]);
}
for (const [batch, size, ci, co] of [[128, 14, 16, 8], [128, 14, 8, 16], [128, 14, 32, 32], [128, 7, 64, 64]]) {
  const x = tf.randomNormal([batch, size, size, ci]);
  const dy = tf.randomNormal([batch, size, size, co]);
  rows.push([`filter gradient, ${ci} to ${co} channels, [${batch}, ${size}, ${size}]`, 'as an XNNPACK convolution', ...compare(() => filterGradientAsConvolution(x, dy, false), filterGradient(x, dy, [3, 3, ci, co]))]);
}
{
  const x = tf.randomNormal([256, 28, 28, 16]);
  const dy = tf.randomNormal([256, 28, 28, 1]);
  rows.push(['filter gradient, 16 to 1 channel, [256, 28, 28]', 'as an XNNPACK convolution', ...compare(() => filterGradientAsConvolution(x, dy, true), filterGradient(x, dy, [3, 3, 16, 1]))]);
  for (const perm of [[1, 2, 0, 3], [3, 1, 2, 0]]) {
    rows.push([`transpose [256, 28, 28, 16] by [${perm.join(', ')}]`, 'tfjs wasm', ...compare(() => runOwn('Transpose', { x }, { perm }), () => tf.transpose(x, perm))]);
  }
  const pooled = tf.maxPool(x, 2, 2, 'same');
  const pooledGradient = tf.randomNormal(pooled.shape);
  const poolAttrs = { filterSize: 2, strides: 2, pad: 'same' };
  rows.push(['max-pooling gradient, 2x2 by 2, [256, 28, 28, 16]', 'tfjs wasm', ...compare(() => runOwn('MaxPoolGrad', { dy: pooledGradient, input: x, output: pooled }, poolAttrs), () => tf.engine().runKernel('MaxPoolGrad', { dy: pooledGradient, input: x, output: pooled }, poolAttrs))]);
  const filter = tf.randomNormal([3, 3, 16, 1]);
  const bias = tf.randomNormal([1]);
  const convAttrs = { strides: 1, pad: 'same', dataFormat: 'NHWC', dilations: 1, activation: 'sigmoid' };
  rows.push(['convolution 16 to 1 channel with bias and sigmoid, [256, 28, 28]', 'tfjs wasm (XNNPACK)', ...compare(() => runOwn('FusedConv2D', { x, filter, bias }, convAttrs), () => tf.engine().runKernel('FusedConv2D', { x, filter, bias }, convAttrs))]);
  const small = tf.randomNormal([256, 14, 14, 16]);
  const upAttrs = { alignCorners: false, halfPixelCenters: false, size: [28, 28] };
  rows.push(['up-sampling 2x, [256, 14, 14, 16]', 'tfjs wasm', ...compare(() => runOwn('ResizeNearestNeighbor', { images: small }, upAttrs), () => tf.engine().runKernel('ResizeNearestNeighbor', { images: small }, upAttrs))]);
  const gradAttrs = { alignCorners: false, halfPixelCenters: false };
  rows.push(['up-sampling 2x gradient, [256, 28, 28, 16]', 'tfjs wasm', ...compare(() => runOwn('ResizeNearestNeighborGrad', { images: small, dy: x }, gradAttrs), () => tf.engine().runKernel('ResizeNearestNeighborGrad', { images: small, dy: x }, gradAttrs))]);
  const biasVector = tf.randomNormal([16]);
  rows.push(['bias add, [256, 28, 28, 16] + [16]', 'tfjs wasm', ...compare(() => runOwn('Add', { a: x, b: biasVector }, {}), () => tf.add(x, biasVector))]);
  rows.push(['sum [256, 28, 28, 16] over axes 0, 1, 2', 'tfjs wasm', ...compare(() => runOwn('Sum', { x }, { axis: [0, 1, 2], keepDims: false }), () => tf.sum(x, [0, 1, 2]))]);
  const upstream = tf.randomNormal(x.shape);
  const reluGradOwn = () => tf.tidy(() => tf.mul(upstream, runOwn('Cast', { x: tf.step(x) }, { dtype: 'float32' })));
  rows.push(['ReLU gradient, [256, 28, 28, 16]', 'tfjs (Step, Cast, Multiply)', ...compare(reluGradOwn, () => tf.engine().runKernel('AekitReluGrad', { x, dy: upstream }))]);
  rows.push(['cast [256, 28, 28, 16] float32 to float32 (ReLU gradient)', 'tfjs wasm', ...compare(() => runOwn('Cast', { x }, { dtype: 'float32' }), () => tf.cast(x, 'float32'))]);
}
{
  // One input channel: the first layer, and (with the filter flipped) the input gradient of the last.
  const x = tf.randomNormal([256, 28, 28, 1]);
  const filter = tf.randomNormal([3, 3, 1, 16]);
  const convAttrs = { strides: 1, pad: 'same', dataFormat: 'NHWC', dilations: 1 };
  rows.push(['convolution 1 to 16 channels, [256, 28, 28]', 'tfjs wasm (XNNPACK)', ...compare(() => runOwn('Conv2D', { x, filter }, convAttrs), () => tf.engine().runKernel('Conv2D', { x, filter }, convAttrs))]);
  rows.push(['sum [256, 28, 28, 1] over axes 0, 1, 2 (one-channel bias gradient)', 'tfjs wasm', ...compare(() => runOwn('Sum', { x }, { axis: [0, 1, 2], keepDims: false }), () => tf.sum(x, [0, 1, 2]))]);
  // Binary cross-entropy forward and backward, as the loss composed it from ops before.
  const p = tf.sigmoid(x);
  const t = tf.randomUniform(x.shape);
  const composed = () => {
    const pc = tf.clipByValue(p, 1e-7, 1 - 1e-7);
    const logP = tf.log(pc);
    const log1mP = tf.log(tf.sub(1, pc));
    const value = tf.neg(tf.add(log1mP, tf.mul(t, tf.sub(logP, log1mP))));
    return [value, tf.div(tf.sub(pc, t), tf.mul(pc, tf.sub(1, pc)))];
  };
  const fused = () => [tf.engine().runKernel('AekitBinaryCrossEntropy', { p, t }), tf.engine().runKernel('AekitBinaryCrossEntropyGrad', { p, t, dy: x })];
  rows.push(['binary cross-entropy and its gradient, [256, 28, 28, 1]', 'composed from tfjs ops', ...compare(() => tf.tidy(composed), fused)]);
}

console.log(`wasm kernels, median ms per call over ${rounds} calls each, the two called in turns (Node ${process.version})\n`);
console.log('| step | replaced | replaced (ms) | aekit (ms) | speed-up |');
console.log('| --- | --- | ---: | ---: | ---: |');
for (const [step, replaced, before, after] of rows) {
  console.log(`| ${step} | ${replaced} | ${before.toFixed(2)} | ${after.toFixed(2)} | ${(before / after).toFixed(1)}x |`);
}
