// One native kernel's share of a training step, measured in one process:
// the family trains on `native` for a few steps with the kernel's native
// wrapper registered, then with the kernel it wraps, in turns, and prints
// the median ms a step of each and their ratio (same process, same data,
// same weights' shapes: the rest of the step is the same code).
//
//   node packages/kernels-native/bench/kernel-ab.mjs <kernel> [family] [rounds] [steps]
//   e.g. node packages/kernels-native/bench/kernel-ab.mjs Sigmoid dense 15 10
import { fit, registry, tf, useBackend } from '@aekit/core';
import { loadMnist } from '@aekit/data-mnist';
import { registerWasmKernels } from '@aekit/kernels-wasm';

const [kernelName = 'Sigmoid', family = 'dense', roundsText = '15', stepsText = '10'] = process.argv.slice(2);
const [rounds, steps] = [Number(roundsText), Number(stepsText)];
tf.enableProdMode();
registerWasmKernels();
await useBackend('wasm');
// The kernel before the native package wraps it, then after.
const wrapped = tf.getKernel(kernelName, 'wasm');
// @aekit/cli imports this package, which wraps the kernel: only now.
const { loadPlugins } = await import('@aekit/cli');
await loadPlugins();
await useBackend('native');
const native = tf.getKernel(kernelName, 'wasm');
if (!wrapped || !native || wrapped === native) throw new Error(`no native wrapper of ${kernelName} on the native backend`);
const use = (config) => {
  tf.unregisterKernel(kernelName, 'wasm');
  tf.registerKernel(config);
};

const batchSize = 256;
const { train } = await loadMnist({ trainLimit: batchSize * steps });
const ae = registry.create(family, {}, { seed: 0, dataShape: train.exampleShape });
const data = train.reshape(ae.inputShape);
const stepMs = (config) => {
  use(config);
  return fit(ae, data, { epochs: 1, batchSize, workers: 1, seed: 0 }).then((r) => (r.seconds * 1000) / steps);
};
await stepMs(native);
await stepMs(wrapped);
const times = { native: [], wrapped: [] };
for (let round = 0; round < rounds; round++) {
  // Alternate which goes first, so that neither always follows the other.
  const order = round % 2 === 0 ? ['native', 'wrapped'] : ['wrapped', 'native'];
  for (const which of order) times[which].push(await stepMs(which === 'native' ? native : wrapped));
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const ratios = times.native.map((t, i) => times.wrapped[i] / t);
console.log(
  JSON.stringify({
    kernel: kernelName,
    family,
    rounds,
    stepsPerRound: steps,
    msPerStepNative: median(times.native),
    msPerStepWrapped: median(times.wrapped),
    speedup: median(ratios),
  }),
);
