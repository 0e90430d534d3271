import { dirname, join } from 'node:path';
import {
  AeError,
  DEFAULT_LEARNING_RATES,
  DivergenceError,
  fit,
  NonFiniteLossError,
  tf,
  type Autoencoder,
  type Dataset,
  type OptimizerName,
  type TrainingCallbacks,
  type TrainingResult,
} from '@aekit/core';
import { fileCheckpoint, inspectCheckpoint, type CheckpointHealth, type LoadedCheckpoint } from '@aekit/core/node';
import { progressCallbacks } from '../progress.js';
import { RUN_FILES } from '../run-directory.js';
import type { RunSettings } from './run-settings.js';

/** What {@link runTraining} needs besides the model and data. */
export interface TrainingInputs {
  settings: RunSettings;
  runDir: string;
  dataShape: readonly number[];
  restored?: LoadedCheckpoint;
  signal: AbortSignal;
  /** Validation data cut by the reader (a series' validation part), used instead of `validationSplit`. */
  validation?: Dataset;
  callbacks: TrainingCallbacks[];
  log: (line: string) => void;
  interactive?: boolean;
}

/**
 * Step 4 of `ae train`: runs the trainer with the run's settings,
 * checkpoints in `checkpoint/`, a progress bar, and the restored optimizer
 * and progress when resuming.
 *
 * @returns The trainer's result and how many examples it held out for validation.
 * @throws AeError (see {@link trainingError}) when the loss stops being finite.
 */
export async function runTraining(autoencoder: Autoencoder, train: Dataset, inputs: TrainingInputs): Promise<{ result: TrainingResult; validationSamples: number }> {
  const { settings, restored } = inputs;
  let validationSamples = 0;
  const counter: TrainingCallbacks = { onTrainBegin: (info) => void (validationSamples = info.validationSamples) };
  const checkpointDir = join(inputs.runDir, RUN_FILES.checkpoint);
  try {
    const result = await fit(autoencoder, train, {
      epochs: settings.epochs,
      batchSize: settings.batchSize,
      seed: settings.seed,
      workers: settings.workers,
      noise: settings.noise,
      optimizer: restored?.optimizer ?? settings.optimizer,
      learningRate: settings.learningRate,
      validation: inputs.validation,
      validationSplit: inputs.validation || settings.validationSplit === 0 ? undefined : settings.validationSplit,
      earlyStopping: settings.patience ? { patience: settings.patience } : undefined,
      checkpoint: fileCheckpoint(checkpointDir, { dataShape: inputs.dataShape, run: { ...settings }, everyEpochs: settings.checkpointEvery }),
      resume: restored?.progress,
      resumeBestWeights: restored?.bestWeights,
      signal: inputs.signal,
      callbacks: [counter, progressCallbacks(inputs.log, inputs.interactive), ...inputs.callbacks],
    });
    return { result, validationSamples };
  } catch (error) {
    throw await trainingError(error, checkpointDir, settings);
  } finally {
    restored?.optimizer.dispose();
    tf.dispose(restored?.bestWeights);
  }
}

/**
 * Step 5 of `ae train`, error mapping: a loss that stopped being finite, or
 * a run that diverged while it stayed finite, becomes a one-line error that
 * says what to change (the learning rate, with the optimizer's default) and
 * what the checkpoint holds: "the last good checkpoint" only when one exists
 * and its weights are finite and sane. Other errors pass unchanged.
 *
 * @param error - What the trainer threw.
 * @param checkpointDir - The run's checkpoint directory.
 * @param settings - The run's optimizer and learning rate, for the advice.
 */
export async function trainingError(error: unknown, checkpointDir: string, settings: Pick<RunSettings, 'optimizer' | 'learningRate'>): Promise<unknown> {
  if (!(error instanceof NonFiniteLossError || error instanceof DivergenceError)) return error;
  const optimizer = (settings.optimizer ?? 'adam') as OptimizerName;
  const usual = DEFAULT_LEARNING_RATES[optimizer];
  const rate = settings.learningRate ?? usual;
  const health = await inspectCheckpoint(checkpointDir);
  const dataHint = error instanceof NonFiniteLossError ? ', or check the data for extreme values' : '';
  if (health.state === 'good') {
    // --resume applies a new learning rate, so the fix is one command away.
    const next = rate > usual ? usual : Number((rate / 10).toPrecision(2));
    return new AeError(error.code, `${error.message}. ${checkpointNote(health, checkpointDir)}; resume it with a lower learning rate: ae train --resume ${dirname(checkpointDir)} --learning-rate ${next}${dataHint}`);
  }
  const advice = rate > usual ? `try --learning-rate ${usual} (${optimizer}'s default) or lower` : `try a --learning-rate below ${rate}${dataHint}`;
  return new AeError(error.code, `${error.message}. ${checkpointNote(health, checkpointDir)}; ${advice}`);
}

function checkpointNote(health: CheckpointHealth, dir: string): string {
  switch (health.state) {
    case 'missing':
      return 'No checkpoint was written before this, so start again';
    case 'unreadable':
      return `The checkpoint in ${dir} cannot be used (${health.problem})`;
    case 'diverged':
      return `The checkpoint in ${dir} holds weights that had already diverged (${Number.isNaN(health.maxAbs) ? 'not finite' : `up to ${health.maxAbs.toPrecision(2)}`}), so start again`;
    case 'good':
      return `The last good checkpoint, after epoch ${health.epoch}${health.batch > 0 ? ` and ${health.batch} batches` : ''}, is in ${dir}`;
  }
}
