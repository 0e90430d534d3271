// Soak check (not part of CI): trains a family on the full training set for
// many epochs and records resident memory and the live tensor count after
// every epoch; fails if either keeps growing.
//
//   node scripts/soak.mjs [--family conv] [--epochs 20] [--backend wasm]
import { fit, registry, tf, useBackend } from '@aekit/core';
import { registerWasmKernels } from '@aekit/kernels-wasm';
import { loadPlugins } from '@aekit/cli';
import { loadMnist } from '@aekit/data-mnist';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
  options: {
    family: { type: 'string', default: 'conv' },
    epochs: { type: 'string', default: '20' },
    backend: { type: 'string', default: 'wasm' },
    limit: { type: 'string' },
  },
});
tf.enableProdMode();
await loadPlugins();
registerWasmKernels();
await useBackend(args.backend);
const { train } = await loadMnist({ trainLimit: args.limit ? Number(args.limit) : undefined });
const ae = registry.create(args.family, {}, { seed: 0, dataShape: train.exampleShape });
const rows = [];
await fit(ae, train.reshape(ae.inputShape), {
  epochs: Number(args.epochs),
  batchSize: 256,
  callbacks: [
    {
      onEpochEnd(record) {
        global.gc?.();
        const row = { epoch: record.epoch + 1, loss: record.loss, rssMb: process.memoryUsage().rss / 2 ** 20, tensors: tf.memory().numTensors, seconds: record.seconds };
        rows.push(row);
        console.log(`epoch ${row.epoch}: loss ${row.loss.toFixed(4)}, rss ${row.rssMb.toFixed(0)} MB, live tensors ${row.tensors}, ${row.seconds.toFixed(1)} s`);
      },
    },
  ],
});
// Flat means: no growth of the tensor count after the first epoch, and
// resident memory in the second half within 10% of the first half's peak.
const tensorsGrew = rows.slice(1).some((r) => r.tensors !== rows[1]?.tensors);
const half = Math.floor(rows.length / 2);
const firstPeak = Math.max(...rows.slice(0, half).map((r) => r.rssMb));
const secondPeak = Math.max(...rows.slice(half).map((r) => r.rssMb));
const rssGrew = rows.length >= 4 && secondPeak > firstPeak * 1.1;
console.log(`peak RSS ${Math.max(...rows.map((r) => r.rssMb)).toFixed(0)} MB; tensors ${tensorsGrew ? 'GREW' : 'flat'}; memory ${rssGrew ? 'GREW' : 'flat'}`);
process.exitCode = tensorsGrew || rssGrew ? 1 : 0;
