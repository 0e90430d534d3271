#!/usr/bin/env node
// Measures a family of this package on MNIST for the README's results table:
// trains with the family's defaults (or the given flags), then reports the test
// binary cross-entropy, every loss term, throughput and code activity, and
// writes them to results/<family>-<epochs>ep[-noise].json.
//
//   pnpm --filter @aekit/models-dense build
//   nice node packages/models-dense/scripts/results.mjs dense --epochs 50
//
// Flags: --epochs N, --batch-size N, --learning-rate X, --seed N, --backend wasm|cpu,
// --train-limit N, --test-limit N, --noise gaussian:0.5, --config '{"l1":1e-4}',
// --eval-every N (also measure the test set every N epochs and rewrite the
// JSON file, so a long run that has to be stopped still leaves real figures),
// --out FILE. Uses the library API, so it runs without the `ae` tool.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { evaluate, fit, formatNoiseSpec, parseNoiseSpec, registry, useBackend } from '@aekit/core';
import { registerWasmKernels } from '@aekit/kernels-wasm';
import { loadMnist } from '@aekit/data-mnist';
import { measureCodeActivity, plugin } from '@aekit/models-dense';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    epochs: { type: 'string' },
    'batch-size': { type: 'string' },
    'learning-rate': { type: 'string' },
    seed: { type: 'string', default: '0' },
    backend: { type: 'string', default: 'wasm' },
    'train-limit': { type: 'string' },
    'test-limit': { type: 'string' },
    noise: { type: 'string' },
    config: { type: 'string', default: '{}' },
    'eval-every': { type: 'string' },
    out: { type: 'string' },
  },
});
const familyName = positionals[0];
if (!familyName) {
  console.error('usage: results.mjs <dense|sparse|deep|contractive> [--epochs N] [--noise gaussian:0.5] ...');
  process.exit(2);
}
const int = (text) => (text === undefined ? undefined : Number.parseInt(text, 10));

registerWasmKernels();
const backend = await useBackend(values.backend);
registry.use(plugin);
const family = registry.get(familyName);
const mnist = await loadMnist({ trainLimit: int(values['train-limit']), testLimit: int(values['test-limit']) });
const seed = int(values.seed);
const autoencoder = registry.create(familyName, JSON.parse(values.config), { seed, dataShape: mnist.train.exampleShape });
const train = mnist.train.reshape(autoencoder.inputShape);
const test = mnist.test.reshape(autoencoder.inputShape);
const noise = values.noise ? parseNoiseSpec(values.noise) : family.training?.noise;
const epochs = int(values.epochs) ?? family.training?.epochs ?? 50;
const batchSize = int(values['batch-size']) ?? family.training?.batchSize ?? 256;
const learningRate = values['learning-rate'] === undefined ? family.training?.learningRate : Number(values['learning-rate']);

const evalEvery = int(values['eval-every']);
const command = ['node', relative(process.cwd(), fileURLToPath(import.meta.url)), ...process.argv.slice(2)].join(' ');
const suffix = noise ? `-${formatNoiseSpec(noise).replace(/[^a-z0-9.]+/gi, '-')}` : '';
const out = values.out ?? join(packageDir, 'results', `${familyName}-${epochs}ep${suffix}.json`);
const testCurve = [];
let trainingSeconds = 0;
const started = Date.now();

/** Writes what has been measured so far; `final` is false while training goes on. */
async function save(record) {
  await mkdir(dirname(out), { recursive: true });
  await writeFile(out, `${JSON.stringify(record, null, 2)}\n`);
}

const untrained = await evaluate(autoencoder, test, { noise, seed });
console.log(`${familyName} on ${backend}: ${train.size} training, ${test.size} test images; untrained test loss ${untrained.loss.toFixed(4)}`);
const result = await fit(autoencoder, train, {
  epochs,
  batchSize,
  learningRate,
  seed,
  noise,
  callbacks: [
    {
      onEpochEnd: async (r) => {
        trainingSeconds += r.seconds;
        console.log(`epoch ${r.epoch + 1}/${epochs}  loss ${r.loss.toFixed(4)}  ${r.seconds.toFixed(1)} s`);
        if (evalEvery && (r.epoch + 1) % evalEvery === 0 && r.epoch + 1 < epochs) {
          const partial = await evaluate(autoencoder, test, { noise, seed });
          testCurve.push({ epoch: r.epoch + 1, testBce: partial.terms.bce, trainingSeconds: Number(trainingSeconds.toFixed(1)) });
          console.log(`  test bce after ${r.epoch + 1} epochs: ${partial.terms.bce.toFixed(4)}`);
          await save({ family: familyName, final: false, epochsDone: r.epoch + 1, testCurve, command, backend });
        }
      },
    },
  ],
});
const tested = await evaluate(autoencoder, test, { noise, seed });
const activity = await measureCodeActivity(autoencoder, test);

const record = {
  family: familyName,
  final: true,
  config: autoencoder.config,
  backend,
  epochs: result.history.length,
  batchSize,
  optimizer: `adam (learning rate ${learningRate ?? 1e-3})`,
  seed,
  noise: noise ? formatNoiseSpec(noise) : null,
  trainingSamples: train.size,
  testSamples: test.size,
  trainingSeconds: Number(result.seconds.toFixed(1)),
  samplesPerSecond: Math.round(result.samplesPerSecond),
  finalTrainingLoss: result.history.at(-1).loss,
  untrainedTestLoss: untrained.loss,
  testLoss: tested.loss,
  testTerms: tested.terms,
  testBce: tested.terms.bce,
  codeMeanActivation: activity.meanActivation,
  codeNearZeroShare: activity.nearZeroShare,
  testCurve,
  wallSeconds: Math.round((Date.now() - started) / 1000),
  command,
  node: process.version,
  date: new Date().toISOString(),
};
await save(record);
console.log(JSON.stringify(record, null, 2));
console.log(
  `| ${familyName} | ${record.epochs} | ${record.trainingSeconds} | ${record.samplesPerSecond} | ${backend} | ` +
    `${record.testBce.toFixed(4)} | \`${command}\` |`,
);
autoencoder.dispose();
