// One training measurement in its own process (so peak memory is this run's):
//   node bench/train-js.mjs <family> <backend> <samples> [batchSize] [workers] [family config as JSON]
// Prints one JSON line: samples/s, peak RSS, live tensors per epoch, test loss.
import { evaluate, fit, registry, tf, useBackend } from '@aekit/core';
import { registerWasmKernels } from '@aekit/kernels-wasm';
import { loadPlugins } from '@aekit/cli';
import { loadMnist } from '@aekit/data-mnist';

const [family, backend, samplesText, batchText, workersText, configText] = process.argv.slice(2);
const samples = Number(samplesText);
const batchSize = Number(batchText ?? 256);
const workers = Number(workersText ?? 1);
tf.enableProdMode();
await loadPlugins();
registerWasmKernels();
await useBackend(backend);
const epochs = Math.max(1, Math.ceil(samples / 60000));
const { train, test } = await loadMnist({ trainLimit: Math.min(samples, 60000) });
const ae = registry.create(family, JSON.parse(configText ?? '{}'), { seed: 0, dataShape: train.exampleShape });
let peakRss = process.memoryUsage().rss;
const tensorsPerEpoch = [];
const result = await fit(ae, train.reshape(ae.inputShape), {
  epochs,
  batchSize,
  workers,
  seed: 0,
  callbacks: [
    {
      onBatchEnd: () => void (peakRss = Math.max(peakRss, process.memoryUsage().rss)),
      onEpochEnd: () => void tensorsPerEpoch.push(tf.memory().numTensors),
    },
  ],
});
const evaluation = await evaluate(ae, test.reshape(ae.inputShape), { batchSize: 500 });
console.log(
  JSON.stringify({
    family,
    backend,
    workers,
    samples: result.history.length * train.size,
    samplesPerSecond: result.samplesPerSecond,
    peakRssMb: peakRss / 2 ** 20,
    tensorsPerEpoch,
    testLoss: evaluation.loss,
    testTerms: evaluation.terms,
  }),
);
