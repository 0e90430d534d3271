#!/usr/bin/env node
// Trains a VAE family on MNIST and measures the test-set negative ELBO, for
// the results table of the README. Not part of CI: a 50-epoch run takes tens
// of minutes. Run after `pnpm turbo run build --filter=@aekit/models-vae...`:
//
//   nice node packages/models-vae/scripts/measure.mjs --family vae --latent-dim 2 --epochs 50 --out runs/vae-2d
//
// It writes `result.json` (settings, seconds, per-epoch history, test
// negative ELBO), the report's pictures and the saved model into --out.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fit, registry, tf, useBackend } from '@aekit/core';
import { registerWasmKernels } from '@aekit/kernels-wasm';
import { saveAutoencoder } from '@aekit/core/node';
import { loadMnist } from '@aekit/data-mnist';
import { createFigureWriter } from '@aekit/viz';
import { evaluateElbo, plugin } from '../dist/index.js';

const { values: args } = parseArgs({
  options: {
    family: { type: 'string', default: 'vae' },
    'latent-dim': { type: 'string', default: '2' },
    epochs: { type: 'string' },
    'batch-size': { type: 'string' },
    seed: { type: 'string', default: '0' },
    backend: { type: 'string', default: 'wasm' },
    limit: { type: 'string' },
    config: { type: 'string', default: '{}' },
    out: { type: 'string' },
    'eval-every': { type: 'string', default: '5' },
  },
});

registry.use(plugin);
registerWasmKernels();
const backend = await useBackend(args.backend);
const family = registry.get(args.family);
const seed = Number(args.seed);
const epochs = Number(args.epochs ?? family.training?.epochs ?? 10);
const batchSize = Number(args['batch-size'] ?? family.training?.batchSize ?? 128);
const config = { ...JSON.parse(args.config), latentDim: Number(args['latent-dim']) };
const out = args.out ?? `runs/${args.family}-${config.latentDim}d`;

const limit = args.limit ? Number(args.limit) : undefined;
const mnist = await loadMnist({ trainLimit: limit, testLimit: limit });
const autoencoder = registry.create(args.family, config, { seed, dataShape: mnist.train.exampleShape });
// The dense family reads flat vectors, the convolutional one images.
const train = mnist.train.reshape(autoencoder.inputShape);
const test = mnist.test.reshape(autoencoder.inputShape);
console.log(`${args.family} ${JSON.stringify(autoencoder.config)} on ${backend}: ${train.size} training, ${test.size} test images, ${epochs} epochs of batches of ${batchSize}`);

const record = {
  status: 'running',
  family: args.family,
  config: autoencoder.config,
  backend,
  tfjs: tf.version.tfjs,
  node: process.version,
  epochs,
  batchSize,
  seed,
  trainingImages: train.size,
  testImages: test.size,
  command: `node ${process.argv.slice(1).join(' ')}`,
  epochsDone: 0,
  trainingSeconds: 0,
  // Test negative ELBO every --eval-every epochs, so a run cut short still tells.
  testCurve: [],
  history: [],
};
await mkdir(out, { recursive: true });
const save = () => writeFile(join(out, 'result.json'), `${JSON.stringify(record, null, 2)}\n`);
const evalEvery = Number(args['eval-every']);

// SIGTERM or Ctrl-C stops training after the current batch; the run then
// still measures the test set, draws the pictures and saves the model.
const controller = new AbortController();
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => controller.abort());

const started = performance.now();
const result = await fit(autoencoder, train, {
  epochs,
  batchSize,
  seed,
  signal: controller.signal,
  callbacks: [
    {
      onEpochEnd: async (r) => {
        record.epochsDone = r.epoch + 1;
        record.trainingSeconds += r.seconds;
        record.history.push(r);
        let line = `epoch ${r.epoch + 1}: loss ${r.loss.toFixed(2)} (bce ${r.terms.bce.toFixed(2)}, kl ${r.terms.kl.toFixed(2)}) in ${r.seconds.toFixed(1)} s`;
        if ((r.epoch + 1) % evalEvery === 0 && r.epoch + 1 < epochs) {
          const elbo = await evaluateElbo(autoencoder, test, { seed });
          record.testCurve.push({ epoch: r.epoch + 1, ...elbo });
          line += `; test negative ELBO ${elbo.total.toFixed(2)}`;
        }
        console.log(line);
        await save();
      },
    },
  ],
});
const elbo = await evaluateElbo(autoencoder, test, { seed });
if (record.testCurve.at(-1)?.epoch !== result.history.length) record.testCurve.push({ epoch: result.history.length, ...elbo });
console.log(`test negative ELBO ${elbo.total.toFixed(2)} = reconstruction ${elbo.reconstruction.toFixed(2)} + KL ${elbo.kl.toFixed(2)} nats per image`);

record.report = await family.report({
  autoencoder,
  test,
  seed,
  figures: createFigureWriter(out),
  log: (line) => console.log(line),
});
await saveAutoencoder(autoencoder, join(out, 'model'), mnist.train.exampleShape);
Object.assign(record, {
  status: result.stopReason === 'aborted' ? `stopped after ${result.history.length} of ${epochs} epochs` : 'done',
  trainingSeconds: result.seconds,
  totalSeconds: (performance.now() - started) / 1000,
  secondsPerEpoch: result.seconds / result.history.length,
  testNegativeElbo: elbo,
});
await save();
console.log(`wrote ${join(out, 'result.json')}`);
