import {
  applyNoise,
  ConfigError,
  deriveSeed,
  formatNoiseSpec,
  sizeOfShape,
  tf,
  type Autoencoder,
  type CommandIO,
  type Dataset,
  type NoiseSpec,
} from '@aekit/core';
import { buildClassifier } from './classifier.js';
import { mapDataset } from './datasets.js';
import { classifierAccuracy, trainClassifier, type PrepareBatch } from './train.js';

/** Options of {@link runClassifyExperiment}. */
export interface ClassifyOptions {
  /** A trained autoencoder whose input has as many values as one image. */
  autoencoder: Autoencoder;
  /** Labelled training images, e.g. MNIST `[28, 28, 1]`. */
  train: Dataset;
  /** Labelled test images of the same shape. */
  test: Dataset;
  /** The corruption the autoencoder is meant to remove. */
  noise: NoiseSpec;
  /** Passes over the training images for each classifier; 2 by default. */
  epochs?: number;
  /** Examples per gradient step; 128 by default. */
  batchSize?: number;
  /** Seed of noise, shuffling and initialisation; 0 by default. */
  seed?: number;
  /** Number of classes; 10 by default. */
  classes?: number;
  /** Progress bars, e.g. the `ae` tool's `io.progress`. */
  progress?: CommandIO['progress'];
}

/** One line of the result table: what a classifier saw and how often it was right. */
export interface ClassifyRow {
  /** What the classifier was tested on, e.g. `denoised noisy images`. */
  input: string;
  /** What it was trained on. */
  trainedOn: string;
  /** Share of test examples classified correctly. */
  accuracy: number;
}

/** What {@link runClassifyExperiment} returns; written to `metrics.json` by `ae classify`. */
export interface ClassifyResult {
  /** The noise in its command-line form. */
  noise: string;
  /** Training images each classifier saw per epoch. */
  trainImages: number;
  /** Test images behind each accuracy. */
  testImages: number;
  /** Passes over the training images, per classifier. */
  epochs: number;
  /** Images per gradient step. */
  batchSize: number;
  /** Seed of noise, shuffling and initialisation. */
  seed: number;
  /** Accuracies of the image classifier and of the code classifier. */
  rows: ClassifyRow[];
  /** Wall-clock seconds of the whole experiment. */
  seconds: number;
}

/** Seed streams of the experiment's random draws. */
const STREAM = { testNoise: 1, imageClassifier: 2, codeClassifier: 3 } as const;

/**
 * "Use the output of the autoencoder as input to a CNN", measured:
 *
 * 1. a CNN trained on clean images is tested on clean, noisy, and denoised
 *    noisy test images (the autoencoder's reconstructions of the noisy ones);
 * 2. a second classifier is trained on the autoencoder's codes of noisy
 *    training images (fresh noise every epoch) and tested on the codes of
 *    the noisy test images.
 *
 * Every test row sees the same noisy test images.
 *
 * @param options - Model, data, noise and training settings.
 */
export async function runClassifyExperiment(options: ClassifyOptions): Promise<ClassifyResult> {
  const { autoencoder, train, test, noise } = options;
  const epochs = options.epochs ?? 2;
  const batchSize = options.batchSize ?? 128;
  const seed = options.seed ?? 0;
  const classes = options.classes ?? 10;
  const imageShape = test.exampleShape;
  if (sizeOfShape(autoencoder.inputShape) !== sizeOfShape(imageShape)) {
    throw new ConfigError('run', `the autoencoder takes [${autoencoder.inputShape}], not images of shape [${imageShape}]`);
  }
  const started = performance.now();
  const toModel = (x: tf.Tensor) => tf.reshape(x, [-1, ...autoencoder.inputShape]);
  const encodeNoisy: PrepareBatch = (x, s) => autoencoder.encode(toModel(applyNoise(x, noise, s)));

  const noisyTest = mapDataset(test, (x, b) => applyNoise(x, noise, deriveSeed(seed, STREAM.testNoise, b)));
  const denoisedTest = mapDataset(noisyTest, (x) => tf.reshape(autoencoder.reconstruct(toModel(x)), [-1, ...imageShape]));
  const noisyTestCodes = mapDataset(noisyTest, (x) => autoencoder.encode(toModel(x)));

  const trainNewClassifier = async (inputShape: readonly number[], stream: number, label: string, prepare?: PrepareBatch) => {
    const model = buildClassifier(inputShape, classes, deriveSeed(seed, stream));
    const bar = options.progress?.(label, epochs * Math.ceil(train.size / batchSize));
    try {
      await trainClassifier(model, train, {
        epochs,
        batchSize,
        classes,
        seed: deriveSeed(seed, stream, 1),
        prepare,
        onBatchEnd: (done, _total, v) => bar?.update(done, { loss: v.loss.toFixed(3), acc: v.accuracy.toFixed(3) }),
      });
    } catch (error) {
      model.dispose();
      throw error;
    } finally {
      bar?.stop();
    }
    return model;
  };

  const rows: ClassifyRow[] = [];
  const imageClassifier = await trainNewClassifier(imageShape, STREAM.imageClassifier, 'classifier on clean images');
  try {
    const tested: [string, Dataset][] = [
      ['clean images', test],
      ['noisy images', noisyTest],
      ['denoised noisy images', denoisedTest],
    ];
    for (const [input, data] of tested) {
      rows.push({ input, trainedOn: 'clean images', accuracy: await classifierAccuracy(imageClassifier, data) });
    }
  } finally {
    imageClassifier.dispose();
  }

  const codeClassifier = await trainNewClassifier(autoencoder.latentShape, STREAM.codeClassifier, 'classifier on codes', encodeNoisy);
  try {
    rows.push({
      input: 'codes of noisy images',
      trainedOn: 'codes of noisy images',
      accuracy: await classifierAccuracy(codeClassifier, noisyTestCodes),
    });
  } finally {
    codeClassifier.dispose();
  }

  return {
    noise: formatNoiseSpec(noise),
    trainImages: train.size,
    testImages: test.size,
    epochs,
    batchSize,
    seed,
    rows,
    seconds: (performance.now() - started) / 1000,
  };
}
