import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { tf } from '../tf.js';
import type { Autoencoder } from '../autoencoder.js';
import { parseFileContents } from '../config.js';
import { DataFileError } from '../errors.js';
import { registry as defaultRegistry, type FamilyRegistry } from '../registry.js';
import { FusedAdamOptimizer } from '../trainer/fused-adam-optimizer.js';
import type { CheckpointOptions, CheckpointState, TrainingProgress } from '../trainer/events.js';
import { writeFileAtomic } from './atomic-write.js';
import { readJsonFile } from './read-json-file.js';
import { rebuildAutoencoder } from './rebuild-autoencoder.js';
import { checkpointFileSchema } from './saved-file-schemas.js';
import { sweepTemporaryFiles } from './temporary-files.js';
import { writeError } from './write-errors.js';
import { assignWeights, readWeightsFile, writeWeightsFile, type WeightsFileEntry } from './weights-file.js';

/** Name of the file that commits a checkpoint; it refers to the weights files beside it. */
export const CHECKPOINT_STATE = 'state.json';

/** What `state.json` holds. */
interface CheckpointFile {
  format: 'aekit-checkpoint';
  version: 1;
  savedAt: string;
  reason: CheckpointState['reason'];
  family: string;
  config: Record<string, unknown>;
  dataShape: number[];
  /** Free-form settings of the run (the CLI keeps its options here to resume with). */
  run: Record<string, unknown>;
  progress: TrainingProgress;
  weights: WeightsFileEntry;
  optimizer: { className: string; config: Record<string, unknown>; state?: WeightsFileEntry; scalars: Record<string, number> };
  bestWeights?: WeightsFileEntry;
}

/** A checkpoint read back by {@link loadCheckpoint}. */
export interface LoadedCheckpoint {
  autoencoder: Autoencoder;
  optimizer: tf.Optimizer;
  progress: TrainingProgress;
  bestWeights?: tf.Tensor[];
  dataShape: number[];
  run: Record<string, unknown>;
  reason: CheckpointState['reason'];
}

/**
 * Checkpoints to a directory: the model's weights, the optimizer's state,
 * the training progress (epoch, batch, history) and the run's settings.
 * Shuffling and noise seeds derive from (seed, epoch, batch), so resuming
 * from a checkpoint on the same backend reaches exactly the weights of an
 * uninterrupted run.
 *
 * Each save is atomic: weights files are named by their hash and written
 * first, then `state.json` is replaced in one rename, then stale files are
 * removed. A crash at any moment leaves the previous checkpoint whole.
 *
 * @example
 * ```ts
 * import { fit, type Autoencoder, type Dataset } from '@aekit/core';
 * import { fileCheckpoint } from '@aekit/core/node';
 *
 * declare const ae: Autoencoder;
 * declare const rows: Dataset; // examples of shape [8]
 * const checkpoint = fileCheckpoint('runs/mine/checkpoint', { dataShape: rows.exampleShape, run: { data: 'rows.csv' } });
 * await fit(ae, rows.reshape(ae.inputShape), { epochs: 50, checkpoint }); // saved after every epoch, and on abort
 * ```
 * @param dir - Checkpoint directory (created when first saved).
 * @param options.dataShape - Shape of one example, to rebuild the model.
 * @param options.run - Settings to keep with the checkpoint (read back by {@link loadCheckpoint}).
 * @param options.everyEpochs - Interval in epochs; 1 by default.
 * @param options - `dataShape` of one example, `run` settings to store with the checkpoint, and `everyEpochs` between saves.
 */
export function fileCheckpoint(
  dir: string,
  options: { dataShape: readonly number[]; run?: Record<string, unknown>; everyEpochs?: number },
): CheckpointOptions {
  let swept = false;
  return {
    everyEpochs: options.everyEpochs ?? 1,
    async save(state) {
      try {
        await mkdir(dir, { recursive: true });
      } catch (error) {
        throw await writeError(error, dir);
      }
      // Temporary files of a run killed mid-write, once a session.
      if (!swept) swept = (await sweepTemporaryFiles(dir, 0), true);
      const { autoencoder, optimizer } = state;
      const weights = await writeWeightsFile(
        dir,
        'weights',
        autoencoder.model.weights.map((w) => ({ name: w.originalName, tensor: w.read() })),
      );
      const optimizerWeights = await optimizer.getWeights();
      const optimizerState = optimizerWeights.length > 0 ? await writeWeightsFile(dir, 'optimizer', optimizerWeights) : undefined;
      const bestWeights = state.bestWeights
        ? await writeWeightsFile(dir, 'best', state.bestWeights.map((tensor, i) => ({ name: `best_${i}`, tensor })))
        : undefined;
      const file: CheckpointFile = {
        format: 'aekit-checkpoint',
        version: 1,
        savedAt: new Date().toISOString(),
        reason: state.reason,
        family: autoencoder.family,
        config: { ...autoencoder.config },
        dataShape: [...options.dataShape],
        run: options.run ?? {},
        progress: state.progress,
        weights,
        optimizer: { className: optimizer.getClassName(), config: optimizer.getConfig(), state: optimizerState, scalars: scalarState(optimizer) },
        bestWeights,
      };
      await writeFileAtomic(join(dir, CHECKPOINT_STATE), JSON.stringify(file));
      const keep = new Set([weights.file, optimizerState?.file, bestWeights?.file]);
      for (const name of await readdir(dir)) {
        if (/^(weights|optimizer|best)-[0-9a-f]+\.bin$/.test(name) && !keep.has(name)) await rm(join(dir, name), { force: true });
      }
    },
  };
}

/** What {@link loadCheckpoint} may change in the run it restores. */
export interface CheckpointOverrides {
  /** A new learning rate for the restored optimizer (its state is kept). */
  learningRate?: number;
}

/**
 * Reads a checkpoint written by {@link fileCheckpoint}: rebuilds the model
 * from its family (whose plugin must be registered) and sets its weights,
 * and restores the optimizer with its state, checking every file's size and
 * checksum and the optimizer's settings (a learning rate that is not a
 * positive number is refused, naming the field and the file).
 *
 * @example
 * ```ts
 * import { fit, registry, type Dataset } from '@aekit/core';
 * import { loadCheckpoint } from '@aekit/core/node';
 * import { plugin as dense } from '@aekit/models-dense';
 *
 * declare const rows: Dataset; // the data of the interrupted run
 * registry.use(dense);
 * const { autoencoder, optimizer, progress, run } = await loadCheckpoint('runs/mine/checkpoint'); // run: { data: 'rows.csv' }
 * // carries on at progress.epoch; the history holds every epoch of both sessions
 * const result = await fit(autoencoder, rows.reshape(autoencoder.inputShape), { epochs: 50, optimizer, resume: progress });
 * ```
 * @param dir - The checkpoint directory.
 * @param registry - Where to find the family; the shared registry by default.
 * @param overrides - Settings to change in the restored run, e.g. its learning rate.
 * @throws DataFileError naming the file when one is missing, truncated or corrupt.
 */
export async function loadCheckpoint(dir: string, registry: FamilyRegistry = defaultRegistry, overrides: CheckpointOverrides = {}): Promise<LoadedCheckpoint> {
  const stateFile = join(dir, CHECKPOINT_STATE);
  // Checked field by field; the parsed value is the interface the writer writes.
  const file = parseFileContents(checkpointFileSchema, await readJsonFile(stateFile, 'checkpoint', { missing: 'no checkpoint to resume from' }), stateFile) as CheckpointFile;
  if (overrides.learningRate !== undefined) file.optimizer.config = { ...file.optimizer.config, learningRate: overrides.learningRate };
  const values = await readWeightsFile(dir, file.weights, stateFile);
  const autoencoder = rebuildAutoencoder(registry, file, stateFile, values);
  let bestWeights: tf.Tensor[] | undefined;
  try {
    assignWeights(autoencoder.model, values, file.weights.specs.map((s) => s.name), stateFile, `'${file.family}' model`);
    if (file.bestWeights) {
      bestWeights = await readWeightsFile(dir, file.bestWeights, stateFile);
      checkShapes(bestWeights, autoencoder.model.weights, 'best weights', stateFile);
    }
    const optimizer = await restoreOptimizer(dir, file, stateFile, autoencoder);
    return { autoencoder, optimizer, progress: file.progress, bestWeights, dataShape: file.dataShape, run: file.run, reason: file.reason };
  } catch (error) {
    autoencoder.dispose();
    tf.dispose(bestWeights);
    throw error;
  } finally {
    tf.dispose(values);
  }
}

async function restoreOptimizer(dir: string, file: CheckpointFile, stateFile: string, autoencoder: Autoencoder): Promise<tf.Optimizer> {
  const state = file.optimizer.state ? await readWeightsFile(dir, file.optimizer.state, stateFile) : [];
  try {
    checkOptimizerState(state, autoencoder, stateFile);
    // The class name was checked against the optimizers aekit trains with (saved-file-schemas.ts), never looked up blindly.
    const [cls, fromConfig] = tf.serialization.SerializationMap.getMap().classNameMap[file.optimizer.className];
    // Adam resumes as the fused Adam that createOptimizer('adam') trains with (same state, same results).
    const optimizer = fromConfig(file.optimizer.className === 'Adam' ? FusedAdamOptimizer : cls, file.optimizer.config as tf.serialization.ConfigDict) as tf.Optimizer;
    if (file.optimizer.state) await optimizer.setWeights(file.optimizer.state.specs.map((s, i) => ({ name: s.name, tensor: state[i] })));
    restoreScalarState(optimizer, file.optimizer.scalars);
    return optimizer;
  } finally {
    // setWeights keeps its own variables.
    tf.dispose(state);
  }
}

/**
 * An optimizer's state is its step count, then one group of slots per kind
 * (Adam: first and second moments), each slot in the order of the model's
 * trainable variables, which is how tfjs applies them: a slot of another
 * shape would fail mid-training, so it is refused here, named.
 */
function checkOptimizerState(state: tf.Tensor[], autoencoder: Autoencoder, stateFile: string): void {
  if (state.length === 0) return;
  if (state[0].size !== 1) throw new DataFileError(stateFile, `optimizer state starts with a tensor of shape [${state[0].shape}], not the step count`);
  const variables = autoencoder.trainableVariables;
  const slots = state.slice(1);
  if (variables.length === 0 || slots.length % variables.length !== 0) {
    throw new DataFileError(stateFile, `optimizer state holds ${slots.length} slots, not a multiple of the model's ${variables.length} trainable weights`);
  }
  slots.forEach((slot, i) => {
    const variable = variables[i % variables.length];
    if (!tf.util.arraysEqual(slot.shape, variable.shape)) {
      throw new DataFileError(stateFile, `optimizer slot ${i + 1} has shape [${slot.shape}], the model's ${variable.name} has [${variable.shape}]`);
    }
  });
}

function checkShapes(values: tf.Tensor[], targets: readonly tf.LayerVariable[], what: string, file: string): void {
  const same = values.length === targets.length && values.every((v, i) => tf.util.arraysEqual(v.shape, targets[i].shape as number[]));
  if (!same) throw new DataFileError(file, `its ${what} do not have the shapes of the model's weights`);
}

/**
 * Scalar variables an optimizer keeps outside `getWeights()`. Adam's
 * `accBeta1` and `accBeta2` (running powers of beta) are recomputed by
 * `setWeights` with `pow`, which differs in the last bits from the product
 * that training accumulates; saving them keeps a resumed run exact.
 */
function scalarState(optimizer: tf.Optimizer): Record<string, number> {
  const scalars: Record<string, number> = {};
  for (const [key, value] of Object.entries(optimizer)) {
    if (value instanceof tf.Variable && value.size === 1) scalars[key] = value.dataSync()[0];
  }
  return scalars;
}

function restoreScalarState(optimizer: tf.Optimizer, scalars: Record<string, number>): void {
  const fields = optimizer as unknown as Record<string, unknown>;
  for (const [key, value] of Object.entries(scalars)) {
    const variable = fields[key];
    if (variable instanceof tf.Variable) tf.tidy(() => variable.assign(tf.scalar(value, variable.dtype)));
  }
}

/** What {@link inspectCheckpoint} found. */
export type CheckpointHealth =
  | { state: 'missing' }
  | { state: 'unreadable'; problem: string }
  | {
      state: 'good' | 'diverged';
      /** Epochs completed when it was written. */
      epoch: number;
      /** Batches of the next epoch already run. */
      batch: number;
      /** Largest absolute weight (NaN when some weight is not finite). */
      maxAbs: number;
    };

/** Weights beyond this are taken as diverged: their products overflow float32 within a few layers. */
const DIVERGED_WEIGHT = 1e8;

/**
 * Looks at a checkpoint without building its model: whether it exists, can
 * be read, and holds finite weights of a sane size. A message pointing to a
 * "last good checkpoint" is only true when this says `good`.
 *
 * @example
 * ```ts
 * import { inspectCheckpoint } from '@aekit/core/node';
 *
 * const health = await inspectCheckpoint('runs/mine/checkpoint');
 * // { state: 'good', epoch: 3, batch: 0, maxAbs: 0.769 }, or { state: 'missing' }, 'unreadable' or 'diverged'
 * if (health.state === 'good') console.log(`resume from epoch ${health.epoch}`);
 * ```
 * @param dir - The checkpoint directory.
 */
export async function inspectCheckpoint(dir: string): Promise<CheckpointHealth> {
  const stateFile = join(dir, CHECKPOINT_STATE);
  let file: CheckpointFile;
  try {
    const json = await readJsonFile(stateFile, 'checkpoint', { optional: true });
    if (json === undefined) return { state: 'missing' };
    file = parseFileContents(checkpointFileSchema, json, stateFile) as CheckpointFile;
  } catch (error) {
    return { state: 'unreadable', problem: (error as Error).message };
  }
  let values: tf.Tensor[];
  try {
    values = await readWeightsFile(dir, file.weights, stateFile);
  } catch (error) {
    return { state: 'unreadable', problem: (error as Error).message };
  }
  let maxAbs = 0;
  for (const value of values) for (const x of value.dataSync()) maxAbs = Number.isFinite(x) ? Math.max(maxAbs, Math.abs(x)) : Number.NaN;
  tf.dispose(values);
  const good = Number.isFinite(maxAbs) && maxAbs < DIVERGED_WEIGHT;
  return { state: good ? 'good' : 'diverged', epoch: file.progress.epoch, batch: file.progress.batch, maxAbs };
}
