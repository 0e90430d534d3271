// What assembling batches in one kernel gives a training step: a family
// trains on `native` for a few steps with the byte-batch kernel's native
// twin, with its wasm kernel, and with no kernel (core's JavaScript loop and
// tf.tensor, main's path before the kernel), in turns in one process; prints
// the median ms a step of each and the ratios (same data, same weights'
// shapes: the rest of the step is the same code).
//
//   node packages/kernels-native/bench/batch-assembly-train.mjs [family] [rounds] [steps] [batchSize]
//   e.g. node packages/kernels-native/bench/batch-assembly-train.mjs dense 9 16 256
import { fit, registry, tf, useBackend } from '@aekit/core';
import { UNIT_FLOATS_FROM_BYTES } from '@aekit/core/kernels';
import { loadMnist } from '@aekit/data-mnist';
import { registerWasmKernels } from '@aekit/kernels-wasm';

const [family = 'dense', roundsText = '9', stepsText = '16', batchText = '256'] = process.argv.slice(2);
const [rounds, steps, batchSize] = [Number(roundsText), Number(stepsText), Number(batchText)];
tf.enableProdMode();
registerWasmKernels();
await useBackend('wasm');
const wasm = tf.getKernel(UNIT_FLOATS_FROM_BYTES, 'wasm');
// @aekit/cli imports the native package, which wraps the kernel: only now.
const { loadPlugins } = await import('@aekit/cli');
await loadPlugins();
await useBackend('native');
const native = tf.getKernel(UNIT_FLOATS_FROM_BYTES, 'wasm');
if (!wasm || !native || wasm === native) throw new Error('no native wrapper of the byte-batch kernel on the native backend');
const use = (config) => {
  if (tf.getKernel(UNIT_FLOATS_FROM_BYTES, 'wasm')) tf.unregisterKernel(UNIT_FLOATS_FROM_BYTES, 'wasm');
  if (config) tf.registerKernel(config);
};

const { train } = await loadMnist({ trainLimit: batchSize * steps });
const ae = registry.create(family, {}, { seed: 0, dataShape: train.exampleShape });
const data = train.reshape(ae.inputShape);
const ways = { native, wasm, javascript: undefined };
const stepMs = async (way) => {
  use(ways[way]);
  const r = await fit(ae, data, { epochs: 1, batchSize, workers: 1, seed: 0 });
  return (r.seconds * 1000) / steps;
};
for (const way of Object.keys(ways)) await stepMs(way); // warm-up
const names = Object.keys(ways);
const times = Object.fromEntries(names.map((n) => [n, []]));
for (let round = 0; round < rounds; round++) {
  // Rotate the order, so that none always follows another.
  for (let i = 0; i < names.length; i++) {
    const name = names[(i + round) % names.length];
    times[name].push(await stepMs(name));
  }
}
use(native);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const ratio = (a, b) => Number(median(times[a].map((t, i) => t / times[b][i])).toFixed(3));
console.log(
  JSON.stringify({
    family,
    batchSize,
    rounds,
    stepsPerRound: steps,
    msPerStep: Object.fromEntries(names.map((n) => [n, Number(median(times[n]).toFixed(3))])),
    javascriptOverNative: ratio('javascript', 'native'),
    javascriptOverWasm: ratio('javascript', 'wasm'),
    wasmOverNative: ratio('wasm', 'native'),
  }),
);
