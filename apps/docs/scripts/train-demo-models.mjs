// Trains the small models that the documentation's live demos load, with the
// aekit API on MNIST in Node (wasm backend), and writes them in the tfjs
// layers format with a few test digits to public/models/:
//
//   dense/           the 784-32-784 `dense` autoencoder (reconstruction demo)
//   denoise/         a `dense` autoencoder (64-value code) trained as a denoiser on gaussian:0.5 noise
//   vae-decoder/     the decoder of a `vae` with a 2-D latent space
//   vae-codes.json   latent means of test digits, for the map behind the latent demo
//   test-digits.json 100 MNIST test digits with labels, as base64 bytes
//   train-digits.png 2,000 MNIST training digits in one grayscale sprite, for in-page training
//   manifest.json    what each model is and how well it did on the test set
//
// Run it once after changing a demo model: `pnpm --filter @aekit/docs demo-models`
// (a few minutes on two idle cores; the sizes and epochs are kept small so that it is). The outputs are committed; the site build
// does not train.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';
import { evaluate, fit, registry, tf, useBackend } from '@aekit/core';
import { registerWasmKernels } from '@aekit/kernels-wasm';
import { saveAutoencoder } from '@aekit/core/node';
import { loadMnist } from '@aekit/data-mnist';
import { plugin as dense } from '@aekit/models-dense';
import { plugin as vae } from '@aekit/models-vae';

const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'public', 'models');
const quick = process.argv.includes('--quick'); // a fast smoke run: tiny subsets, one epoch
const SEED = 0;
const TEST_DIGITS = 100;
const TRAIN_DIGITS = 2000;
const SPRITE_COLUMNS = 50;
const CODE_POINTS = 2000;

registerWasmKernels();
const backend = await useBackend('wasm');
for (const plugin of [dense, vae]) registry.use(plugin);
const { train, test } = await loadMnist(quick ? { trainLimit: 2000, testLimit: 500 } : {});
await mkdir(out, { recursive: true });
const manifest = { backend, data: 'MNIST', models: {} };

/** Trains one family with the library API and writes its test loss to the manifest. */
async function trainModel(key, { family, config, dataShape = train.exampleShape, epochs, batchSize, learningRate, noise, trainLimit }) {
  const ae = registry.create(family, config, { seed: SEED, dataShape });
  const trainSet = (trainLimit && !quick ? train.take(trainLimit) : train).reshape(ae.inputShape);
  const testSet = test.reshape(ae.inputShape);
  const started = Date.now();
  let trainingImages = trainSet.size;
  const result = await fit(ae, trainSet, {
    epochs: quick ? 1 : epochs,
    batchSize,
    learningRate,
    noise,
    seed: SEED,
    validationSplit: 0.1,
    callbacks: [
      { onTrainBegin: (info) => void (trainingImages = info.trainingSamples) },
      { onEpochEnd: (r) => console.log(`${key}: epoch ${r.epoch + 1} loss ${r.loss.toFixed(4)} val ${r.valLoss?.toFixed(4)}`) },
    ],
  });
  const { loss, terms } = await evaluate(ae, testSet, { noise, seed: SEED });
  manifest.models[key] = {
    family,
    config: { ...ae.config },
    noise: noise ?? null,
    epochs: result.history.length,
    batchSize,
    learningRate: learningRate ?? 0.001,
    trainingImages, // without the 10 % held out for validation
    testImages: testSet.size,
    testLoss: round(loss),
    testTerms: Object.fromEntries(Object.entries(terms).map(([k, v]) => [k, round(v)])),
    seconds: Math.round((Date.now() - started) / 1000),
  };
  console.log(`${key}: test loss ${loss.toFixed(4)} in ${manifest.models[key].seconds} s`);
  return ae;
}

/** Writes a tfjs LayersModel as model.json + one weights file, loadable by tf.loadLayersModel. */
async function saveLayersModel(model, dir) {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weights = new Uint8Array(tf.io.CompositeArrayBuffer.join(artifacts.weightData));
      await writeFile(join(dir, 'weights.bin'), weights);
      const modelJson = {
        format: 'layers-model',
        generatedBy: `TensorFlow.js tfjs-layers v${tf.version_layers}`,
        convertedBy: 'aekit docs',
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: ['./weights.bin'], weights: artifacts.weightSpecs }],
      };
      await writeFile(join(dir, 'model.json'), JSON.stringify(modelJson));
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
}

const round = (x, digits = 4) => Number(x.toFixed(digits));
const indices = (n) => Array.from({ length: n }, (_, i) => i);

// 1. Reconstruction: the classic dense autoencoder.
const denseModel = await trainModel('dense', { family: 'dense', config: { latentDim: 32 }, epochs: 5, batchSize: 128, learningRate: 0.003 });
await rm(join(out, 'dense'), { recursive: true, force: true });
await saveAutoencoder(denseModel, join(out, 'dense'), train.exampleShape);
denseModel.dispose();

// 2. Denoising: a dense autoencoder with a 64-value code trained on gaussian
// noise of factor 0.5 (`ae train dense --latent-dim 64 --noise gaussian:0.5`).
// The convolutional denoiser is better but trains far slower on a CPU.
const denoiser = await trainModel('denoise', {
  family: 'dense',
  config: { latentDim: 64 },
  epochs: 6,
  batchSize: 128,
  learningRate: 0.003,
  noise: { type: 'gaussian', factor: 0.5 },
  trainLimit: 20000,
});
await rm(join(out, 'denoise'), { recursive: true, force: true });
await saveAutoencoder(denoiser, join(out, 'denoise'), train.exampleShape);
denoiser.dispose();

// 3. Generation: a VAE with a 2-D latent space; the demo needs only its decoder.
const vaeModel = await trainModel('vae', {
  family: 'vae',
  config: { latentDim: 2, hidden: [128] },
  epochs: 5,
  batchSize: 128,
  learningRate: 0.002,
  trainLimit: 20000,
});
await saveLayersModel(vaeModel.decoder.model, join(out, 'vae-decoder'));
const codeCount = Math.min(CODE_POINTS, test.size);
const testFlat = test.reshape(vaeModel.inputShape);
const codeBatch = testFlat.batch(indices(codeCount));
const means = vaeModel.encode(codeBatch);
const meanValues = await means.data();
tf.dispose([codeBatch, means]);
const labels = test.labels(indices(codeCount));
await writeFile(
  join(out, 'vae-codes.json'),
  JSON.stringify({
    description: `latent means of the first ${codeCount} MNIST test digits under the demo VAE's encoder`,
    x: Array.from({ length: codeCount }, (_, i) => round(meanValues[2 * i], 3)),
    y: Array.from({ length: codeCount }, (_, i) => round(meanValues[2 * i + 1], 3)),
    label: Array.from(labels),
  }),
);
vaeModel.dispose();

// 4. Test digits for the demos, as bytes in base64.
const digitBytes = (dataset, n) => Uint8Array.from(dataset.floats(indices(n)), (v) => Math.round(v * 255));
await writeFile(
  join(out, 'test-digits.json'),
  JSON.stringify({
    description: `the first ${TEST_DIGITS} MNIST test digits, 28x28 bytes row by row`,
    height: 28,
    width: 28,
    labels: Array.from(test.labels(indices(TEST_DIGITS))),
    pixels: Buffer.from(digitBytes(test, TEST_DIGITS)).toString('base64'),
  }),
);

// 5. Training digits for the in-page training demo, as one grayscale PNG sprite.
const rows = Math.ceil(TRAIN_DIGITS / SPRITE_COLUMNS);
const sprite = new PNG({ width: SPRITE_COLUMNS * 28, height: rows * 28, colorType: 0, inputColorType: 0, bitDepth: 8 });
const trainBytes = digitBytes(train, Math.min(TRAIN_DIGITS, train.size));
sprite.data = Buffer.alloc(sprite.width * sprite.height);
for (let d = 0; d < trainBytes.length / 784; d++) {
  const top = Math.floor(d / SPRITE_COLUMNS) * 28;
  const left = (d % SPRITE_COLUMNS) * 28;
  for (let r = 0; r < 28; r++) {
    for (let c = 0; c < 28; c++) sprite.data[(top + r) * sprite.width + left + c] = trainBytes[d * 784 + r * 28 + c];
  }
}
await writeFile(join(out, 'train-digits.png'), PNG.sync.write(sprite, { colorType: 0, inputColorType: 0 }));

manifest.testDigits = TEST_DIGITS;
manifest.trainDigits = { count: trainBytes.length / 784, columns: SPRITE_COLUMNS, height: 28, width: 28 };
manifest.quick = quick;
await writeFile(join(out, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
console.log(`wrote ${out}`);
