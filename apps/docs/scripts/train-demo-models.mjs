// Trains the small models that the documentation's live demos load, with the
// aekit API on MNIST in Node (wasm backend), and writes them in the tfjs
// layers format with a few test digits to public/models/:
//
//   dense/           the 784-32-784 `dense` autoencoder (reconstruction demo)
//   denoise/         a `deep` autoencoder (784-512-128-512-784) trained as a denoiser on every kind and
//                    strength of noise the page offers, each batch a random one; the manifest says from
//                    which strength of each kind it improves PSNR, and the page offers only those
//   vae-decoder/     the decoder of a `vae` with a 2-D latent space whose map shows all ten digits
//                    (checked: the page's 12x12 grid of codes decoded and named by a nearest-neighbour
//                    classifier of training digits holds every digit; recorded in the manifest, with
//                    the name of the drawing at each digit's median code)
//   vae-codes.json   latent means of test digits, for the map behind the latent demo
//   test-digits.json 100 MNIST test digits with labels, as base64 bytes
//   train-digits.png 2,000 MNIST training digits in one grayscale sprite, for in-page training
//   manifest.json    what each model is and how well it did on the test set
//
// Run it once after changing a demo model: `nice pnpm --filter @aekit/docs demo-models`
// (about half an hour on two idle cores). The outputs are committed; the site build does not train.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';
import { applyNoise, createRng, evaluate, fit, psnr, range, registry, tf, useBackend } from '@aekit/core';
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
async function trainModel(key, { family, config, dataShape = train.exampleShape, epochs, batchSize, learningRate, noise, trainLimit, wrap = (d) => d }) {
  const ae = registry.create(family, config, { seed: SEED, dataShape });
  const trainSet = wrap((trainLimit && !quick ? train.take(trainLimit) : train).reshape(ae.inputShape));
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
    earlyStopping: { patience: 5 },
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

// 2. Denoising: a `deep` autoencoder trained on every kind and strength of
// noise the page offers. Its training data pairs each clean digit with a
// corrupted copy (a dataset with `inputs`, which the trainer feeds to the
// model instead of adding noise itself): each batch gets a random kind and
// a random strength up to 1, and a fifth of the batches are left clean.
const NOISE_KINDS = ['gaussian', 'salt-and-pepper', 'mask'];
const noiseSpec = (type, strength) => (type === 'gaussian' ? { type, factor: strength } : { type, amount: strength });
function mixedNoise(data, seed) {
  const rng = createRng(seed);
  return Object.assign(Object.create(data), {
    inputs(indices) {
      const clean = data.batch(indices);
      if (rng() < 0.2) return clean;
      const noisy = applyNoise(clean, noiseSpec(NOISE_KINDS[Math.floor(rng() * 3)], rng()), Math.floor(rng() * 2 ** 31));
      clean.dispose();
      return noisy;
    },
    subset(indices) {
      return mixedNoise(data.subset(indices), Math.floor(rng() * 2 ** 31));
    },
  });
}
const denoiser = await trainModel('denoise', {
  family: 'deep',
  config: { latentDim: 128, hiddenUnits: [512] },
  epochs: 20,
  batchSize: 128,
  learningRate: 0.002,
  wrap: (data) => mixedNoise(data, SEED),
});
manifest.models.denoise.noise = { type: 'mixed', kinds: NOISE_KINDS, strengths: [0, 1], clean: 0.2 };
manifest.models.denoise.improves = await improvingStrengths(denoiser);
await rm(join(out, 'denoise'), { recursive: true, force: true });
await saveAutoencoder(denoiser, join(out, 'denoise'), train.exampleShape);
denoiser.dispose();

/**
 * PSNR of noisy and denoised test digits (the first 500) for every kind and
 * strength the page's slider offers (0.05 to 1 in steps of 0.05), capped at
 * 60 dB as the page caps it, and the smallest strength of each kind from
 * which the denoiser improves PSNR at every step up to 1: what the page offers.
 */
async function improvingStrengths(model) {
  const n = Math.min(500, test.size);
  const clean = test.reshape(model.inputShape).batch(range(0, n));
  const result = {};
  for (const type of NOISE_KINDS) {
    const steps = [];
    for (let k = 1; k <= 20; k++) {
      const strength = Number((k * 0.05).toFixed(2));
      const [noisyDb, denoisedDb] = tf.tidy(() => {
        const noisy = applyNoise(clean, noiseSpec(type, strength), 1000 + k);
        const images = (t) => tf.reshape(t, [n, 28, 28, 1]);
        const mean = (t) => tf.mean(tf.minimum(psnr(images(t), images(clean)), 60)).dataSync()[0];
        return [mean(noisy), mean(model.reconstruct(noisy))];
      });
      steps.push({ strength, noisy: round(noisyDb, 2), denoised: round(denoisedDb, 2) });
    }
    let from = steps.length;
    while (from > 0 && steps[from - 1].denoised > steps[from - 1].noisy) from--;
    result[type] = { from: from < steps.length ? steps[from].strength : null, psnr: steps };
    console.log(`denoise ${type}: improves from ${result[type].from}`);
  }
  clean.dispose();
  return result;
}

// 3. Generation: a VAE with a 2-D latent space on all 60,000 digits; the demo needs only its decoder.
const vaeModel = await trainModel('vae', {
  family: 'vae',
  config: { latentDim: 2, hidden: [256] },
  epochs: 30,
  batchSize: 128,
  learningRate: 0.001,
});
await saveLayersModel(vaeModel.decoder.model, join(out, 'vae-decoder'));
const codeCount = Math.min(CODE_POINTS, test.size);
const testFlat = test.reshape(vaeModel.inputShape);
const codeBatch = testFlat.batch(indices(codeCount));
const means = vaeModel.encode(codeBatch);
const meanValues = await means.data();
tf.dispose([codeBatch, means]);
const labels = test.labels(indices(codeCount));
manifest.models.vae.digits = await digitsOnTheMap(vaeModel, meanValues, labels);
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

/**
 * Which digits the map shows, by a 1-nearest-neighbour classifier of 10,000
 * training digits: the digits on the page's 12x12 grid over [-3.5, 3.5]^2
 * (every one should be there), and the digit drawn at each digit's median code.
 */
async function digitsOnTheMap(vae, codes, codeLabels) {
  const reference = train.reshape([784]);
  const refCount = Math.min(10_000, reference.size);
  const refImages = reference.batch(range(0, refCount));
  const refLabels = train.labels(range(0, refCount));
  const classify = (images) =>
    tf.tidy(() => {
      const distances = tf.sub(tf.sum(tf.square(refImages), 1).reshape([1, refCount]), tf.mul(2, tf.matMul(images, refImages, false, true)));
      return Array.from(tf.argMin(distances, 1).dataSync(), (i) => refLabels[i]);
    });
  const medianOf = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  const centres = [];
  for (let d = 0; d < 10; d++) {
    const mine = Array.from(codeLabels, (l, i) => [l, i]).filter(([l]) => l === d).map(([, i]) => i);
    centres.push(medianOf(mine.map((i) => codes[2 * i])), medianOf(mine.map((i) => codes[2 * i + 1])));
  }
  const atCentres = classify(vae.decode(tf.tensor2d(centres, [10, 2])));
  const GRID = 12;
  const RANGE = 3.5;
  const grid = [];
  for (let r = 0; r < GRID; r++) for (let c = 0; c < GRID; c++) grid.push(-RANGE + ((c + 0.5) / GRID) * 2 * RANGE, RANGE - ((r + 0.5) / GRID) * 2 * RANGE);
  const onGrid = classify(vae.decode(tf.tensor2d(grid, [GRID * GRID, 2])));
  refImages.dispose();
  const cells = Object.fromEntries(Array.from({ length: 10 }, (_, d) => [d, onGrid.filter((l) => l === d).length]));
  // The page draws this grid: every digit must be drawn somewhere on it. A 2-D code also crowds similar digits (4 and 9;
  // 3, 5 and 8), so the median code of a digit's test images may decode to its neighbour: recorded, not required.
  const result = { atMedianCode: atCentres, medianCodesAsThemselves: atCentres.filter((l, d) => l === d).length, gridCells: cells, allTen: Object.values(cells).every((n) => n > 0) };
  console.log(`vae: digits at the median codes ${atCentres.join(' ')}; grid cells per digit ${JSON.stringify(cells)}`);
  return result;
}

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
