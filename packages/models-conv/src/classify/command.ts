import { access, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  ConfigError,
  DataFileError,
  FamilyRegistry,
  formatNoiseSpec,
  integerIn,
  noiseSpecSchema,
  option,
  parseNoiseSpec,
  pluginCommand,
  registry,
  commandOptions,
  z,
  type NoiseSpec,
} from '@aekit/core';
import { loadAutoencoder, MODEL_JSON, writeFileAtomic } from '@aekit/core/node';
import { convFamilies } from '../families.js';
import { runClassifyExperiment } from './experiment.js';
import { formatAccuracyTable } from './table.js';

/** The options of `ae classify`, declared once: flags, help, defaults and checks derive from it. */
export const classifyOptions = commandOptions({
  epochs: option(integerIn({ min: 1 }), { value: 'n', help: 'passes over the training images for each classifier', default: 2 }),
  batchSize: option(integerIn({ min: 1 }), { value: 'n', help: 'images per gradient step', default: 128 }),
  limit: option(integerIn({ min: 1 }), { value: 'n', help: 'use only the first n MNIST training images (default: all 60000)' }),
  testLimit: option(integerIn({ min: 1 }), { value: 'n', help: 'use only the first n MNIST test images (default: all 10000)' }),
  noise: option(noiseSpecSchema, {
    value: 'spec',
    help: "noise on the test images and the code classifier's training images (default: the run's training noise, else gaussian:0.5)",
    fromText: (text) => parseNoiseSpec(text),
  }),
  seed: option(integerIn({ min: 0 }), { value: 'n', help: 'seed of noise, shuffling and initialisation', default: 0 }),
  out: option(z.string().min(1), { value: 'dir', help: 'where to write metrics.json (default: <run>/classify)' }),
});

/**
 * `ae classify <run>`: trains a small CNN digit classifier on MNIST and
 * tests it on clean, noisy and denoised images, and a second one on the
 * autoencoder's codes (see `runClassifyExperiment`). Prints the accuracy
 * table and writes it, with the settings, to `metrics.json` in `--out`.
 */
export const classifyCommand = pluginCommand({
  name: 'classify',
  description: 'feed a trained denoiser to a CNN digit classifier: accuracy on clean, noisy, denoised images and on codes',
  arguments: [{ name: 'run', description: 'run directory of a trained autoencoder (holding model.json or model/model.json)', required: true }],
  options: classifyOptions,
  async run(args, opts, io) {
    const [runDir] = args;
    if (!runDir) throw new ConfigError('run', 'give the run directory of a trained autoencoder');
    const requestedNoise = opts.noise;
    const modelDir = await findModelDir(runDir);
    const noise = requestedNoise ?? (await trainingNoiseOf(runDir)) ?? DEFAULT_NOISE;
    const autoencoder = await loadAutoencoder(modelDir, familiesForLoading());
    try {
      // MNIST comes from the dataset provider the ae tool registers; this package imports no data package.
      const { train, test } = await registry.dataset(MNIST).load({ trainLimit: opts.limit, testLimit: opts.testLimit, seed: opts.seed });
      io.log(
        `classify: '${autoencoder.family}' autoencoder from ${modelDir}; ${train.size} training, ${test.size} test images; ` +
          `noise ${formatNoiseSpec(noise)}; backend ${io.backend}`,
      );
      const result = await runClassifyExperiment({
        autoencoder,
        train,
        test,
        noise,
        epochs: opts.epochs,
        batchSize: opts.batchSize,
        seed: opts.seed,
        progress: io.progress,
      });
      const out = opts.out ?? join(runDir, 'classify');
      await mkdir(out, { recursive: true });
      const metrics = { command: 'classify', model: modelDir, family: autoencoder.family, backend: io.backend, ...result };
      await writeFileAtomic(join(out, 'metrics.json'), `${JSON.stringify(metrics, null, 2)}\n`);
      for (const line of formatAccuracyTable(result.rows)) io.log(line);
      io.log(`${result.seconds.toFixed(0)} s; wrote ${join(out, 'metrics.json')}`);
    } finally {
      autoencoder.dispose();
    }
  },
});

/** The dataset provider of the digits the classifiers learn (the `ae` tool supplies it). */
const MNIST = 'mnist';

/** The noise of the Keras blog's denoising experiment. */
const DEFAULT_NOISE: NoiseSpec = { type: 'gaussian', factor: 0.5 };

/** The noise a run was trained with, from the `noise` field of its `metrics.json`, if it has one. */
async function trainingNoiseOf(runDir: string): Promise<NoiseSpec | undefined> {
  try {
    const metrics = JSON.parse(await readFile(join(runDir, 'metrics.json'), 'utf8')) as { noise?: unknown };
    const parsed = noiseSpecSchema.safeParse(metrics.noise);
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** The model directory of a run: the run directory itself or its `model/` folder. */
async function findModelDir(runDir: string): Promise<string> {
  for (const dir of [runDir, join(runDir, 'model')]) {
    if (await exists(join(dir, MODEL_JSON))) return dir;
  }
  throw new DataFileError(join(runDir, MODEL_JSON), `no saved autoencoder here or in ${join(runDir, 'model')}; train one with 'ae train'`);
}

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}

/**
 * A registry to load the model with: every family registered so far (the
 * `ae` tool registers all installed plugins) plus this package's own, so
 * that loading works from the library as well, without changing the
 * shared registry.
 */
function familiesForLoading(): FamilyRegistry {
  const families = new FamilyRegistry();
  for (const family of [...registry.list(), ...convFamilies]) {
    if (!families.has(family.name)) families.register(family);
  }
  return families;
}
