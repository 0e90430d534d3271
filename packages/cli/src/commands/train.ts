import { join } from 'node:path';
import {
  ConfigError,
  evaluate,
  fit,
  registry,
  useBackend,
  type Autoencoder,
  type ModelFamily,
  type NoiseSpec,
  type TrainingCallbacks,
} from '@aekit/core';
import { saveAutoencoder } from '@aekit/core/node';
import { createFigureWriter } from '@aekit/viz';
import { BUILT_IN_DATASET, loadDataset } from '../datasets.js';
import { writeCodeSpace, writeLossCurve, writeReconstructions } from '../pictures.js';
import { progressCallbacks } from '../progress.js';
import { defaultRunDirectory, prepareRunDirectory, RUN_FILES, writeMetrics, type RunMetrics } from '../run-directory.js';

/** Options of `ae train`, as commander delivers them. */
export interface TrainOptions {
  epochs?: number;
  batchSize?: number;
  latentDim?: number;
  learningRate?: number;
  optimizer?: string;
  backend?: string;
  noise?: NoiseSpec | 'none';
  seed?: number;
  limit?: number;
  testLimit?: number;
  validationSplit?: number;
  patience?: number;
  config?: Record<string, unknown>;
  dataset?: string;
  data?: string;
  out?: string;
  codePoints?: number;
  /** Extra listeners (tests). */
  callbacks?: TrainingCallbacks[];
  /** Draw a terminal progress bar; by default when stderr is a terminal. */
  interactive?: boolean;
}

/** What a finished `ae train` produced. */
export interface TrainOutcome {
  runDir: string;
  metrics: RunMetrics;
  autoencoder: Autoencoder;
}

/**
 * `ae train <family>`: trains a registered family on MNIST (or another idx
 * image set) and writes a run directory: `model/`, `metrics.json`,
 * `reconstructions.png`, `loss.png` and `codes.png`, plus whatever the
 * family's report adds. Ctrl-C stops after the current batch and still
 * writes the run directory.
 *
 * @param familyName - A registered family.
 * @param options - Command-line options.
 * @param log - Where progress lines go.
 */
export async function trainCommand(familyName: string, options: TrainOptions, log: (line: string) => void): Promise<TrainOutcome> {
  const family = registry.get(familyName);
  const runDir = await prepareRunDirectory(options.out ?? defaultRunDirectory(familyName));
  const backend = await useBackend(options.backend);
  const seed = options.seed ?? 0;
  const noise = options.noise === 'none' ? undefined : (options.noise ?? family.training?.noise);
  const epochs = options.epochs ?? family.training?.epochs ?? 10;
  const batchSize = options.batchSize ?? family.training?.batchSize ?? 256;

  const datasetName = options.dataset ?? family.training?.dataset ?? BUILT_IN_DATASET;
  const data = await loadDataset(datasetName, { dir: options.data, trainLimit: options.limit, testLimit: options.testLimit, seed });
  const dataShape = data.train.exampleShape;
  const config = { ...options.config, ...(options.latentDim !== undefined ? { latentDim: options.latentDim } : {}) };
  const autoencoder = registry.create(familyName, config, { seed, dataShape });
  checkConfigKeys(family, config, autoencoder);
  const train = data.train.reshape(autoencoder.inputShape);
  const test = data.test.reshape(autoencoder.inputShape);

  log(
    `training ${familyName} on ${train.size} examples of ${datasetName} (${data.source}) with ${backend}: ` +
      `${epochs} epochs, batch ${batchSize}${noise ? `, noise ${JSON.stringify(noise)}` : ''}; run directory ${runDir}`,
  );
  const controller = new AbortController();
  const onSignal = () => {
    if (controller.signal.aborted) process.exit(130);
    log('stopping after the current batch (press Ctrl-C again to quit at once)');
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  let validationSamples = 0;
  const counter: TrainingCallbacks = { onTrainBegin: (info) => void (validationSamples = info.validationSamples) };
  let result;
  try {
    result = await fit(autoencoder, train, {
      epochs,
      batchSize,
      seed,
      noise,
      optimizer: options.optimizer,
      learningRate: options.learningRate ?? family.training?.learningRate,
      validationSplit: options.validationSplit === 0 ? undefined : (options.validationSplit ?? 0.1),
      earlyStopping: options.patience ? { patience: options.patience } : undefined,
      signal: controller.signal,
      callbacks: [counter, progressCallbacks(log, options.interactive), ...(options.callbacks ?? [])],
    });
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }

  await saveAutoencoder(autoencoder, join(runDir, RUN_FILES.model), dataShape);
  const evaluation = await evaluate(autoencoder, test, { batchSize, noise, seed });
  const figures = createFigureWriter(runDir);
  const title = `${familyName}${noise ? ' (denoising)' : ''}`;
  const imageShape: [number, number] = [dataShape[0], dataShape.length > 1 ? dataShape[1] : 1];
  await writeReconstructions(figures, {
    autoencoder,
    test,
    imageShape,
    codeShape: family.codeImageShape?.(autoencoder),
    noise,
    seed,
    title: `${title}: test digits`,
  });
  if (result.history.length > 0) await writeLossCurve(figures, result.history, `${title}: loss per epoch`);
  await writeCodeSpace(figures, autoencoder, test, { points: options.codePoints ?? 2000, seed, title });
  const extra = (await family.report?.({ autoencoder, test, noise, seed, figures, log })) ?? {};

  const metrics: RunMetrics = {
    family: familyName,
    config: { ...autoencoder.config },
    backend,
    epochs: result.history.length,
    history: result.history,
    testLoss: evaluation.loss,
    testTerms: evaluation.terms,
    seconds: result.seconds,
    samplesPerSecond: result.samplesPerSecond,
    batchSize,
    seed,
    noise: noise ?? null,
    trainingSamples: train.size - validationSamples,
    validationSamples,
    testSamples: test.size,
    stopReason: result.stopReason,
    dataset: datasetName,
    data: data.source,
    createdAt: new Date().toISOString(),
    ...extra,
  };
  await writeMetrics(runDir, metrics);
  const terms = Object.entries(evaluation.terms).map(([k, v]) => `${k} ${v.toPrecision(4)}`).join(', ');
  log(`test loss ${evaluation.loss.toPrecision(4)} (${terms}) on ${test.size} images`);
  log(`${Math.round(result.samplesPerSecond)} samples/s over ${result.seconds.toFixed(1)} s of training; wrote ${runDir}`);
  if (result.stopReason === 'aborted') log('training was interrupted; the run directory holds the model as it was');
  return { runDir, metrics, autoencoder };
}

/** Refuses config fields (and `--latent-dim`) that the family does not have, rather than ignoring them. */
function checkConfigKeys(family: ModelFamily, config: Record<string, unknown>, autoencoder: Autoencoder): void {
  for (const key of Object.keys(config)) {
    if (!(key in autoencoder.config)) {
      const known = Object.keys(autoencoder.config).join(', ') || 'none';
      autoencoder.dispose();
      const field = key === 'latentDim' ? 'latent-dim' : `config.${key}`;
      throw new ConfigError(field, `family '${family.name}' has no setting '${key}'; its settings are: ${known}`);
    }
  }
}
