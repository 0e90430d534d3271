// The binary cross-entropy's summed kernels (AekitBinaryCrossEntropySum and
// its gradient) against the path they replace (the elementwise kernel, then
// Mean or Sum, and backwards Fill, Multiply and the elementwise gradient),
// measured in one process: the family trains for a few steps with both
// kernels registered, then with them unregistered (core then takes the old
// path), in turns, and prints the median ms a step of each, their ratio and
// each path's loss after the same steps from the same weights.
//
//   node packages/kernels-native/bench/loss-ab.mjs [family] [backend] [rounds] [steps]
//   e.g. node packages/kernels-native/bench/loss-ab.mjs vae native 9 10
import { fit, registry, tf, useBackend } from '@aekit/core';
import { BINARY_CROSS_ENTROPY_SUM, BINARY_CROSS_ENTROPY_SUM_GRAD } from '@aekit/core/kernels';
import { loadMnist } from '@aekit/data-mnist';
import { loadPlugins } from '@aekit/cli';

const [family = 'dense', backend = 'native', roundsText = '9', stepsText = '10'] = process.argv.slice(2);
const [rounds, steps] = [Number(roundsText), Number(stepsText)];
tf.enableProdMode();
await loadPlugins();
await useBackend(backend);
const names = [BINARY_CROSS_ENTROPY_SUM, BINARY_CROSS_ENTROPY_SUM_GRAD];
const summed = names.map((name) => tf.getKernel(name, 'wasm'));
if (summed.some((config) => !config)) throw new Error(`the ${backend} backend has no summed binary cross-entropy kernels`);
const use = (on) => {
  for (const [i, name] of names.entries()) {
    if (tf.getKernel(name, 'wasm')) tf.unregisterKernel(name, 'wasm');
    if (on) tf.registerKernel(summed[i]);
  }
};

const batchSize = 256;
const { train } = await loadMnist({ trainLimit: batchSize * steps });
const data = train.reshape(registry.create(family, {}, { seed: 0, dataShape: train.exampleShape }).inputShape);
/** A fresh model from the same seed, trained `steps` steps: ms a step and the last epoch's loss. */
const run = async (on) => {
  use(on);
  const ae = registry.create(family, {}, { seed: 0, dataShape: train.exampleShape });
  const result = await fit(ae, data, { epochs: 1, batchSize, workers: 1, seed: 0 });
  ae.dispose?.();
  return { ms: (result.seconds * 1000) / steps, loss: result.history.at(-1)?.loss };
};
await run(true);
await run(false);
const times = { summed: [], composed: [] };
const losses = {};
for (let round = 0; round < rounds; round++) {
  const order = round % 2 === 0 ? [true, false] : [false, true];
  for (const on of order) {
    const { ms, loss } = await run(on);
    times[on ? 'summed' : 'composed'].push(ms);
    losses[on ? 'summed' : 'composed'] = loss;
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
console.log(
  JSON.stringify({
    family,
    backend,
    rounds,
    stepsPerRound: steps,
    msPerStepSummed: median(times.summed),
    msPerStepComposed: median(times.composed),
    speedup: median(times.summed.map((t, i) => times.composed[i] / t)),
    lossSummed: losses.summed,
    lossComposed: losses.composed,
  }),
);
