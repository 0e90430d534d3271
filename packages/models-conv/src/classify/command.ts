import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  ConfigError,
  DataFileError,
  FamilyRegistry,
  formatNoiseSpec,
  noiseSpecSchema,
  parseCommandOptions,
  parseNoiseSpec,
  registry,
  z,
  type NoiseSpec,
  type PluginCommand,
} from '@aekit/core';
import { loadAutoencoder, MODEL_JSON, prepareOutputFolder, writeFileAtomic } from '@aekit/core/node';
import { loadMnist } from '@aekit/data-mnist';
import { convFamilies } from '../families.js';
import { runClassifyExperiment } from './experiment.js';
import { formatAccuracyTable } from './table.js';

/** The command's options as commander hands them over (strings), checked and converted. */
const optionsSchema = z.object({
  epochs: z.coerce.number().int().positive(),
  batchSize: z.coerce.number().int().positive(),
  limit: z.coerce.number().int().positive().optional(),
  testLimit: z.coerce.number().int().positive().optional(),
  noise: z.string().optional(),
  seed: z.coerce.number().int(),
  out: z.string().min(1).optional(),
});

/**
 * `ae classify <run>`: trains a small CNN digit classifier on MNIST and
 * tests it on clean, noisy and denoised images, and a second one on the
 * autoencoder's codes (see `runClassifyExperiment`). Prints the accuracy
 * table and writes it, with the settings, to `metrics.json` in `--out`.
 */
export const classifyCommand: PluginCommand = {
  name: 'classify',
  description: 'feed a trained denoiser to a CNN digit classifier: accuracy on clean, noisy, denoised images and on codes',
  arguments: [{ name: 'run', description: 'run directory of a trained autoencoder (holding model.json or model/model.json)', required: true }],
  options: [
    { flags: '--epochs <n>', description: 'passes over the training images for each classifier', default: '2' },
    { flags: '--batch-size <n>', description: 'images per gradient step', default: '128' },
    { flags: '--limit <n>', description: 'use only the first n MNIST training images (default: all 60000)' },
    { flags: '--test-limit <n>', description: 'use only the first n MNIST test images (default: all 10000)' },
    {
      flags: '--noise <spec>',
      description: "noise on the test images and the code classifier's training images (default: the run's training noise, else gaussian:0.5)",
    },
    { flags: '--seed <n>', description: 'seed of noise, shuffling and initialisation', default: '0' },
    { flags: '--out <dir>', description: 'where to write metrics.json (default: <run>/classify)' },
  ],
  async run(args, options, io) {
    const [runDir] = args;
    if (!runDir) throw new ConfigError('run', 'give the run directory of a trained autoencoder');
    const opts = parseCommandOptions(optionsSchema, options);
    const requestedNoise = opts.noise === undefined ? undefined : parseNoiseSpec(opts.noise, 'noise');
    const modelDir = await findModelDir(runDir);
    // Checked before the experiment's minutes are spent.
    const out = await prepareOutputFolder(opts.out ?? join(runDir, 'classify'), { expected: ['metrics.json'] });
    const noise = requestedNoise ?? (await trainingNoiseOf(runDir)) ?? DEFAULT_NOISE;
    const autoencoder = await loadAutoencoder(modelDir, familiesForLoading());
    try {
      const { train, test } = await loadMnist({ trainLimit: opts.limit, testLimit: opts.testLimit });
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
      const metrics = { command: 'classify', model: modelDir, family: autoencoder.family, backend: io.backend, ...result };
      await writeFileAtomic(join(out, 'metrics.json'), `${JSON.stringify(metrics, null, 2)}\n`);
      for (const line of formatAccuracyTable(result.rows)) io.log(line);
      io.log(`${result.seconds.toFixed(0)} s; wrote ${join(out, 'metrics.json')}`);
    } finally {
      autoencoder.dispose();
    }
  },
};

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
