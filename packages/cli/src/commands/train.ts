import { join } from 'node:path';
import { ConfigError, parseConfig, registry, useBackend, type Autoencoder, type ModelFamily, type TrainingCallbacks, type TrainingPlan } from '@aekit/core';
import { RUN_FILES, type RunMetrics } from '../run-directory.js';
import { loadTrainingData } from '../train/training-data.js';
import { runTraining } from '../train/run-training.js';
import { newRunSettings, type RunSettings, type SettingsOptions } from '../train/run-settings.js';
import { startRun } from '../train/start-run.js';
import { listenForStop } from '../train/stop-signals.js';
import { writeResults } from '../train/write-results.js';

export { defaultWorkers } from '../train/run-settings.js';

/** Options of `ae train`, as commander delivers them: the run's settings, and how to run it. */
export interface TrainOptions extends SettingsOptions {
  /** tfjs backend: `wasm`, `cpu`, `webgl` or `auto`. */
  backend?: string;
  /** The run directory; `runs/<family>-<time>` by default. */
  out?: string;
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
 * @param familyName - A registered family (ignored with `resume`).
 * @param options - Command-line options.
 * @param log - Where progress lines go.
 */
export async function trainCommand(familyName: string | undefined, options: TrainOptions, log: (line: string) => void): Promise<TrainOutcome> {
  const backend = await useBackend(options.backend);
  const started = await startRun(familyName, options, log);
  const { family, runDir, restored } = started;
  let autoencoder: Autoencoder | undefined = restored?.autoencoder;
  const stop = listenForStop(log, options.signal);
  try {
    const data = await loadTrainingData(started.data, log, options.interactive);
    // A new run's length and batches follow the data's size (the family's step budget), its config the data's shape.
    const { settings, plan } = started.settings ? { settings: started.settings, plan: undefined } : newRunSettings(family, options, data.train.size);
    if (!restored) {
      const facts = { dataShape: data.dataShape, examples: data.train.size };
      settings.config = { ...family.defaultsFor?.(facts), ...configTheDataNeeds(family, data.familyConfig), ...settings.config };
    }
    autoencoder ??= createAutoencoder(family, settings, data.dataShape);
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
      checkpointEvery: options.checkpointEvery ?? 1,
      callbacks: options.callbacks ?? [],
      log,
      interactive: options.interactive,
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
      encoding: data.encoding,
      validationSamples,
      trainSize: train.size,
      skipped: data.skipped,
      classes: data.classes,
      result,
      log,
    });
    return { runDir, metrics, autoencoder, interrupted: false };
  } catch (error) {
    autoencoder?.dispose();
    throw error;
  } finally {
    stop.release();
  }
}

/** How long and in what batches the run trains, for its first log line. */
function describeLength(settings: RunSettings, plan: TrainingPlan | undefined): string {
  const budget = plan?.budget === 'steps' ? ` (a budget of ${plan.neededSteps} optimizer steps, ${plan.steps / plan.epochs} an epoch)` : '';
  const threads = settings.workers && settings.workers > 1 ? ` on ${settings.workers} threads` : '';
  const stopping = settings.patience ? `, early stopping after ${settings.patience} epochs without improvement` : '';
  return `${settings.epochs} epochs${budget}, batch ${settings.batchSize}${threads}${settings.noise ? `, noise ${JSON.stringify(settings.noise)}` : ''}${stopping}`;
}

function createAutoencoder(family: ModelFamily, settings: RunSettings, dataShape: readonly number[]): Autoencoder {
  const autoencoder = registry.create(family.name, settings.config, { seed: settings.seed, dataShape });
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

/**
 * The settings the data asks for (`output: 'linear'` for standardised
 * tables). A family without such a setting is refused rather than trained
 * silently on data its fixed output cannot represent (a sigmoid stays in
 * [0, 1], standardised columns do not); the line names the families that
 * have the setting.
 */
function configTheDataNeeds(family: ModelFamily, wanted: Record<string, unknown> | undefined): Record<string, unknown> {
  if (!wanted) return {};
  const defaults = defaultConfig(family);
  const missing = Object.keys(wanted).filter((key) => !(key in defaults));
  if (missing.length > 0) {
    const able = registry.list().filter((f) => missing.every((key) => key in defaultConfig(f))).map((f) => f.name);
    const asked = missing.map((key) => `${key}: ${JSON.stringify(wanted[key])}`).join(', ');
    throw new ConfigError(
      'data',
      `family '${family.name}' cannot train on this data: it needs ${asked}, and '${family.name}' has no ${missing.map((k) => `'${k}'`).join(' or ')} setting` +
        `${missing.includes('output') ? ' (its fixed output cannot represent standardised values outside [0, 1])' : ''}; families that can: ${able.join(', ') || 'none registered'}`,
    );
  }
  return wanted;
}

/** A family's settings with every default filled in; empty when its schema needs values given. */
function defaultConfig(family: ModelFamily): Record<string, unknown> {
  try {
    return parseConfig(family.configSchema, {}) as Record<string, unknown>;
  } catch {
    return {};
  }
}
