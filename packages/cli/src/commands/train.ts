import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import {
  AeError,
  ConfigError,
  evaluate,
  fit,
  NonFiniteLossError,
  registry,
  useBackend,
  type Autoencoder,
  type FamilyRegistry,
  type ModelFamily,
  type NoiseSpec,
  type TrainingCallbacks,
  tf,
  type Dataset,
  type DataEncoding,
  parseConfig,
} from '@aekit/core';
import { fileCheckpoint, loadCheckpoint, saveAutoencoder, type LoadedCheckpoint } from '@aekit/core/node';
import { BUILT_IN_DATASET, loadDataset } from '../datasets.js';
import { loadFigures, skippedPicturesNote } from '../optional-packages.js';
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
  /** Threads that share each batch's gradients; by default the family's `training.workers`, else one per core with at least 32 examples each. */
  workers?: number;
  limit?: number;
  testLimit?: number;
  validationSplit?: number;
  patience?: number;
  config?: Record<string, unknown>;
  dataset?: string;
  data?: string;
  /** For a table: the column kept out of training as each row's label. */
  label?: string;
  /** Skip and count bad rows instead of stopping at the first. */
  skipBad?: boolean;
  out?: string;
  codePoints?: number;
  /** Save a checkpoint every N epochs (1 by default); always when interrupted. */
  checkpointEvery?: number;
  /** Continue the run in this directory from its checkpoint. */
  resume?: string;
  /** Extra listeners (tests). */
  callbacks?: TrainingCallbacks[];
  /** Draw a terminal progress bar; by default when stderr is a terminal. */
  interactive?: boolean;
  /** Stops training like Ctrl-C does (tests). */
  signal?: AbortSignal;
}

/** Everything that decides a run's result; kept in its checkpoint so `--resume` repeats it exactly. */
interface RunSettings {
  family: string;
  config: Record<string, unknown>;
  epochs: number;
  batchSize: number;
  seed: number;
  workers?: number;
  noise?: NoiseSpec;
  optimizer?: string;
  learningRate?: number;
  validationSplit: number;
  patience?: number;
  dataset: string;
  data?: string;
  label?: string;
  skipBad?: boolean;
  limit?: number;
  testLimit?: number;
  codePoints: number;
}

/** What a finished (or interrupted) `ae train` produced. */
export interface TrainOutcome {
  runDir: string;
  /** Undefined when training was interrupted before the end. */
  metrics?: RunMetrics;
  autoencoder: Autoencoder;
  interrupted: boolean;
}

/**
 * `ae train <family>`: trains a registered family on MNIST (another idx
 * image set, or a dataset a plugin provides) and writes a run directory:
 * `model/`, `metrics.json`, `reconstructions.png`, `loss.png`, `codes.png`
 * and whatever the family's report adds, with checkpoints in `checkpoint/`.
 * Ctrl-C or SIGTERM finishes the current batch, writes a checkpoint and
 * says how to resume; `--resume <run-dir>` continues to the same weights an
 * uninterrupted run reaches.
 *
 * @param familyName - A registered family (ignored with `resume`).
 * @param options - Command-line options.
 * @param log - Where progress lines go.
 */
export async function trainCommand(familyName: string | undefined, options: TrainOptions, log: (line: string) => void): Promise<TrainOutcome> {
  const backend = await useBackend(options.backend);
  let settings: RunSettings;
  let runDir: string;
  let restored: LoadedCheckpoint | undefined;
  if (options.resume) {
    runDir = await prepareRunDirectory(options.resume);
    restored = await loadCheckpoint(join(runDir, RUN_FILES.checkpoint));
    settings = { ...(restored.run as unknown as RunSettings), ...(options.epochs ? { epochs: options.epochs } : {}) };
    if (familyName && familyName !== settings.family) {
      restored.autoencoder.dispose();
      throw new ConfigError('family', `the run in ${runDir} trains '${settings.family}', not '${familyName}'`);
    }
    log(`resuming ${settings.family} in ${runDir} at epoch ${restored.progress.epoch + 1}, batch ${restored.progress.batch + 1}`);
  } else {
    if (!familyName) throw new ConfigError('family', 'name a family to train (see ae list), or --resume <run-dir>');
    settings = newRunSettings(registry.get(familyName), options);
    runDir = await prepareRunDirectory(options.out ?? defaultRunDirectory(familyName));
  }
  const family = registry.get(settings.family);
  const data = await loadDataset(settings.dataset, { dir: settings.data, trainLimit: settings.limit, testLimit: settings.testLimit, seed: settings.seed, label: settings.label, skipBad: settings.skipBad });
  for (const line of data.warnings ?? []) log(line);
  if (!restored) settings.config = { ...configTheDataNeeds(family, data.familyConfig), ...settings.config };
  const dataShape = data.train.exampleShape;
  const autoencoder = restored?.autoencoder ?? createAutoencoder(family, settings, dataShape);
  const train = data.train.reshape(autoencoder.inputShape);
  const test = data.test.reshape(autoencoder.inputShape);

  log(
    `training ${settings.family} on ${train.size} examples of ${settings.dataset} (${data.source}) with ${backend}: ` +
      `${settings.epochs} epochs, batch ${settings.batchSize}${settings.workers && settings.workers > 1 ? ` on ${settings.workers} threads` : ''}${settings.noise ? `, noise ${JSON.stringify(settings.noise)}` : ''}; run directory ${runDir}`,
  );
  const controller = new AbortController();
  options.signal?.addEventListener('abort', () => controller.abort());
  const onSignal = () => {
    if (controller.signal.aborted) process.exit(130);
    log('stopping after the current batch to write a checkpoint (press Ctrl-C again to quit at once)');
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  let validationSamples = 0;
  const counter: TrainingCallbacks = { onTrainBegin: (info) => void (validationSamples = info.validationSamples) };
  const checkpointDir = join(runDir, RUN_FILES.checkpoint);
  let result;
  try {
    result = await fit(autoencoder, train, {
      epochs: settings.epochs,
      batchSize: settings.batchSize,
      seed: settings.seed,
      workers: settings.workers,
      noise: settings.noise,
      optimizer: restored?.optimizer ?? settings.optimizer,
      learningRate: settings.learningRate,
      validationSplit: settings.validationSplit === 0 ? undefined : settings.validationSplit,
      earlyStopping: settings.patience ? { patience: settings.patience } : undefined,
      checkpoint: fileCheckpoint(checkpointDir, { dataShape, run: { ...settings }, everyEpochs: options.checkpointEvery ?? 1 }),
      resume: restored?.progress,
      resumeBestWeights: restored?.bestWeights,
      signal: controller.signal,
      callbacks: [counter, progressCallbacks(log, options.interactive), ...(options.callbacks ?? [])],
    });
  } catch (error) {
    if (error instanceof NonFiniteLossError) {
      throw new AeError(error.code, `${error.message}. The last good checkpoint is in ${checkpointDir}; try a lower --learning-rate`);
    }
    throw error;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    restored?.optimizer.dispose();
    tf.dispose(restored?.bestWeights);
  }
  if (result.stopReason === 'aborted') {
    log(`interrupted; a checkpoint is in ${checkpointDir}. Resume with: ae train --resume ${runDir}`);
    return { runDir, autoencoder, interrupted: true };
  }

  const metrics = await writeResults({ settings, family, autoencoder, runDir, test, dataShape, backend, source: data.source, encoding: data.encoding, validationSamples, trainSize: train.size, result, log });
  return { runDir, metrics, autoencoder, interrupted: false };
}

function createAutoencoder(family: ModelFamily, settings: RunSettings, dataShape: readonly number[]): Autoencoder {
  const autoencoder = registry.create(family.name, settings.config, { seed: settings.seed, dataShape });
  checkConfigKeys(family, settings.config, autoencoder);
  return autoencoder;
}

/**
 * Threads `ae train` uses unless told: the family's own
 * `training.workers` when it sets one (the dense MNIST families set 1),
 * otherwise one per core, but no share of a batch smaller than 32 examples
 * (below that, exchanging weights and gradients costs more than it saves);
 * and one thread for a family whose plugin does not say which module a
 * worker thread should import.
 *
 * @param family - The family to train.
 * @param batchSize - Examples per step.
 * @param plugins - Where the family's plugin is registered; aekit's shared registry by default.
 */
export function defaultWorkers(family: ModelFamily, batchSize: number, plugins: FamilyRegistry = registry): number {
  if (!plugins.pluginOf(family.name)?.module) return 1;
  if (family.training?.workers !== undefined) return family.training.workers;
  return Math.max(1, Math.min(availableParallelism(), Math.floor(batchSize / 32)));
}

function newRunSettings(family: ModelFamily, options: TrainOptions): RunSettings {
  const batchSize = options.batchSize ?? family.training?.batchSize ?? 256;
  return {
    family: family.name,
    config: { ...options.config, ...(options.latentDim !== undefined ? { latentDim: options.latentDim } : {}) },
    epochs: options.epochs ?? family.training?.epochs ?? 10,
    batchSize,
    seed: options.seed ?? 0,
    workers: options.workers ?? defaultWorkers(family, batchSize),
    noise: options.noise === 'none' ? undefined : (options.noise ?? family.training?.noise),
    optimizer: options.optimizer,
    learningRate: options.learningRate ?? family.training?.learningRate,
    validationSplit: options.validationSplit ?? 0.1,
    patience: options.patience,
    dataset: options.dataset ?? family.training?.dataset ?? BUILT_IN_DATASET,
    data: options.data,
    label: options.label,
    skipBad: options.skipBad,
    limit: options.limit,
    testLimit: options.testLimit,
    codePoints: options.codePoints ?? 2000,
  };
}

interface ResultInputs {
  settings: RunSettings;
  family: ModelFamily;
  autoencoder: Autoencoder;
  runDir: string;
  test: Dataset;
  dataShape: readonly number[];
  backend: string;
  source: string;
  encoding?: DataEncoding;
  validationSamples: number;
  trainSize: number;
  result: Awaited<ReturnType<typeof fit>>;
  log: (line: string) => void;
}

/** Saves the model, evaluates it on the test set, draws the pictures and writes `metrics.json`. */
async function writeResults(r: ResultInputs): Promise<RunMetrics> {
  const { settings, family, autoencoder, runDir, backend, result, log, test } = r;
  await saveAutoencoder(autoencoder, join(runDir, RUN_FILES.model), r.dataShape, { encoding: r.encoding });
  const evaluation = await evaluate(autoencoder, test, { batchSize: settings.batchSize, noise: settings.noise, seed: settings.seed });
  const pictures = await loadFigures();
  const figures = pictures.writerFor(runDir);
  const title = `${settings.family}${settings.noise || test.inputs ? ' (denoising)' : ''}`;
  await writeReconstructions(figures, {
    autoencoder,
    test,
    imageShape: [r.dataShape[0], r.dataShape.length > 1 ? r.dataShape[1] : 1],
    codeShape: family.codeImageShape?.(autoencoder),
    noise: settings.noise,
    seed: settings.seed,
    title: `${title}: test examples`,
  });
  if (result.history.length > 0) await writeLossCurve(figures, result.history, `${title}: loss per epoch`);
  await writeCodeSpace(figures, autoencoder, test, { points: settings.codePoints, seed: settings.seed, title });
  const extra = (await family.report?.({ autoencoder, test, noise: settings.noise, seed: settings.seed, figures, log })) ?? {};

  const metrics: RunMetrics = {
    family: settings.family,
    config: { ...autoencoder.config },
    backend,
    epochs: result.history.length,
    history: result.history,
    testLoss: evaluation.loss,
    testTerms: evaluation.terms,
    seconds: result.seconds,
    samplesPerSecond: result.samplesPerSecond,
    batchSize: settings.batchSize,
    workers: settings.workers ?? 1,
    seed: settings.seed,
    noise: settings.noise ?? null,
    trainingSamples: r.trainSize - r.validationSamples,
    validationSamples: r.validationSamples,
    testSamples: test.size,
    stopReason: result.stopReason,
    dataset: settings.dataset,
    data: r.source,
    createdAt: new Date().toISOString(),
    ...extra,
  };
  await writeMetrics(runDir, metrics);
  const note = skippedPicturesNote(pictures);
  if (note) log(note);
  const terms = Object.entries(evaluation.terms).map(([k, v]) => `${k} ${v.toPrecision(4)}`).join(', ');
  log(`test loss ${evaluation.loss.toPrecision(4)} (${terms}) on ${test.size} examples`);
  log(`${Math.round(result.samplesPerSecond)} samples/s over ${result.seconds.toFixed(1)} s of training; wrote ${runDir}`);
  return metrics;
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

/** The settings the data asks for (`output: 'linear'` for standardised tables) that the family has. */
function configTheDataNeeds(family: ModelFamily, wanted: Record<string, unknown> | undefined): Record<string, unknown> {
  if (!wanted) return {};
  const defaults = parseConfig(family.configSchema, {}) as Record<string, unknown>;
  return Object.fromEntries(Object.entries(wanted).filter(([key]) => key in defaults));
}
