import { join } from 'node:path';
import { AeError, fit, NonFiniteLossError, tf, type Autoencoder, type Dataset, type TrainingCallbacks, type TrainingResult } from '@aekit/core';
import { fileCheckpoint, type LoadedCheckpoint } from '@aekit/core/node';
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
      validationSplit: settings.validationSplit === 0 ? undefined : settings.validationSplit,
      earlyStopping: settings.patience ? { patience: settings.patience } : undefined,
      checkpoint: fileCheckpoint(checkpointDir, { dataShape: inputs.dataShape, run: { ...settings }, everyEpochs: settings.checkpointEvery }),
      resume: restored?.progress,
      resumeBestWeights: restored?.bestWeights,
      signal: inputs.signal,
      callbacks: [counter, progressCallbacks(inputs.log, inputs.interactive), ...inputs.callbacks],
    });
    return { result, validationSamples };
  } catch (error) {
    throw trainingError(error, checkpointDir);
  } finally {
    restored?.optimizer.dispose();
    tf.dispose(restored?.bestWeights);
  }
}

/**
 * Step 5 of `ae train`, error mapping: a loss that stopped being finite
 * becomes a one-line error that says where the last good checkpoint is and
 * what to try; other errors pass unchanged.
 *
 * @param error - What the trainer threw.
 * @param checkpointDir - The run's checkpoint directory.
 */
export function trainingError(error: unknown, checkpointDir: string): unknown {
  if (error instanceof NonFiniteLossError) {
    return new AeError(error.code, `${error.message}. The last good checkpoint is in ${checkpointDir}; try a lower --learning-rate`);
  }
  return error;
}
