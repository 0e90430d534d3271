import { join } from 'node:path';
import { backendNotices, ConfigError, registry, useBackend, type Autoencoder, type ModelFamily, type TrainingCallbacks, type TrainingPlan } from '@aekit/core';
import { removeEmptyRunDirectory, RUN_FILES, type RunMetrics } from '../run-directory.js';
import { loadTrainingData, type TrainingData } from '../train/training-data.js';
import { runTraining } from '../train/run-training.js';
import { newRunSettings, type RunSettings, type SettingsOptions } from '../train/run-settings.js';
import { startRun } from '../train/start-run.js';
import { listenForStop } from '../train/stop-signals.js';
import { writeResults } from '../train/write-results.js';
import { chooseSeriesThreshold } from '../series/series-threshold.js';

export { defaultWorkers } from '../train/run-settings.js';

/**
 * Options of `ae train`: those it declares (`trainOptions`; from a command
 * line, only the flags given), and how tests listen and stop it.
 */
export interface TrainOptions extends SettingsOptions {
  /** Extra listeners (tests). */
  callbacks?: TrainingCallbacks[];
  /** Draw a terminal progress bar; by default when stderr is a terminal. */
  interactive?: boolean;
  /** Stops training like Ctrl-C does (tests). */
  signal?: AbortSignal;
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
 * `ae train <family>`: trains a registered family on MNIST, on the user's
 * data (`--data`: idx files, a folder of images, a table) or on a dataset a
 * plugin provides, and writes a run directory: `model/`, `metrics.json`,
 * `reconstructions.png`, `loss.png`, `codes.png` and whatever the family's
 * report adds, with checkpoints in `checkpoint/`. Ctrl-C or SIGTERM
 * finishes the current batch, writes a checkpoint and says how to resume;
 * `--resume <run-dir>` continues to the same weights an uninterrupted run
 * reaches.
 *
 * The steps, each in `src/train/`: start or resume the run, read the data,
 * listen for Ctrl-C, train (mapping a diverged loss to a one-line error),
 * write the results.
 *
 * @example
 * ```ts
 * import { registry } from '@aekit/core';
 * import { trainCommand } from '@aekit/cli';
 * import { plugin as dense } from '@aekit/models-dense';
 *
 * registry.use(dense); // `ae` itself registers the installed plugins (see loadPlugins)
 * const { runDir, metrics } = await trainCommand('dense', { epochs: 5, limit: 5000, out: 'runs/dense' }, console.log);
 * console.log(runDir, metrics?.testLoss); // the run directory's absolute path, and the test loss
 * ```
 * @param familyName - A registered family (ignored with `resume`).
 * @param options - Command-line options.
 * @param log - Where progress lines go.
 */
export async function trainCommand(familyName: string | undefined, options: TrainOptions, log: (line: string) => void): Promise<TrainOutcome> {
  const { callbacks, interactive, signal, ...given } = options;
  // auto picks the native kernels only for a family the bench measured them faster on (a resumed run names none: wasm).
  const work = { family: familyName };
  const backend = await useBackend(given.backend, work);
  // One line where `auto` does not take the native kernels, and why.
  if ((given.backend ?? 'auto') === 'auto') backendNotices(work).forEach((notice) => log(notice));
  const started = await startRun(familyName, given, log);
  const { family, runDir, created, restored } = started;
  let autoencoder: Autoencoder | undefined = restored?.autoencoder;
  let data: TrainingData | undefined;
  const stop = listenForStop(log, signal);
  try {
    data = await loadTrainingData(started.data, log, interactive);
    // A new run's length and batches follow the data's size (the family's step budget); its config follows the data in the family's configFor.
    const { settings, plan } = started.settings ? { settings: started.settings, plan: undefined } : newRunSettings(family, given, data.train.size);
    autoencoder ??= createAutoencoder(family, settings, data);
    const train = data.train.reshape(autoencoder.inputShape);
    const test = data.test.reshape(autoencoder.inputShape);
    log(`training ${settings.family} on ${train.size} examples of ${data.name} (${data.source}) with ${backend}: ${describeLength(settings, plan)}; run directory ${runDir}`);
    if (plan?.warning) log(`warning: ${plan.warning.message}`);
    const { result, validationSamples } = await runTraining(autoencoder, train, {
      settings,
      runDir,
      dataShape: data.dataShape,
      restored,
      signal: stop.signal,
      validation: data.validation?.reshape(autoencoder.inputShape),
      callbacks: callbacks ?? [],
      log,
      interactive,
    });
    stop.release();
    if (result.stopReason === 'aborted') {
      log(`interrupted; a checkpoint is in ${join(runDir, RUN_FILES.checkpoint)}. Resume with: ae train --resume ${runDir}`);
      return { runDir, autoencoder, interrupted: true };
    }
    const metrics = await writeResults({
      settings,
      family,
      autoencoder,
      runDir,
      train,
      test,
      plan,
      dataShape: data.dataShape,
      backend,
      source: data.source,
      dataName: data.name,
      preprocessing: data.preprocessing,
      validationSamples,
      trainSize: train.size,
      skipped: data.skipped,
      classes: data.classes,
      result,
      log,
      series: data.series && { data: data.series, threshold: await chooseSeriesThreshold(autoencoder, data.series, settings.percentile) },
    });
    return { runDir, metrics, autoencoder, interrupted: false };
  } catch (error) {
    autoencoder?.dispose();
    // A run that failed before writing anything leaves no empty folder behind.
    if (created) await removeEmptyRunDirectory(runDir);
    throw error;
  } finally {
    stop.release();
    await data?.close();
  }
}

/** How long and in what batches the run trains, for its first log line. */
function describeLength(settings: RunSettings, plan: TrainingPlan | undefined): string {
  const budget = plan?.budget === 'steps' ? ` (a budget of ${plan.neededSteps} optimizer steps, ${plan.steps / plan.epochs} an epoch)` : '';
  const threads = settings.workers && settings.workers > 1 ? ` on ${settings.workers} threads` : '';
  const stopping = settings.patience ? `, early stopping after ${settings.patience} ${settings.patience === 1 ? 'epoch' : 'epochs'} without improvement` : '';
  return `${settings.epochs} ${settings.epochs === 1 ? 'epoch' : 'epochs'}${budget}, batch ${settings.batchSize}${threads}${settings.noise ? `, noise ${JSON.stringify(settings.noise)}` : ''}${stopping}`;
}

/** The family's model for this data: the registry passes the data's description to the family, which chooses its output and loss from it. */
function createAutoencoder(family: ModelFamily, settings: RunSettings, data: TrainingData): Autoencoder {
  const autoencoder = registry.create(family.name, settings.config, { seed: settings.seed, dataShape: data.dataShape, data: data.description });
  checkConfigKeys(family, settings.config, autoencoder);
  return autoencoder;
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
