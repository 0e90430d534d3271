import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { tf } from '../tf.js';
import type { Autoencoder } from '../autoencoder.js';
import { AeError, DataFileError } from '../errors.js';
import { registry as defaultRegistry, type FamilyRegistry } from '../registry.js';
import { FusedAdamOptimizer } from '../trainer/fused-adam-optimizer.js';
import type { CheckpointOptions, CheckpointState, TrainingProgress } from '../trainer/events.js';
import { writeFileAtomic } from './atomic-write.js';
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
  optimizer: { className: string; config: tf.serialization.ConfigDict; state?: WeightsFileEntry; scalars: Record<string, number> };
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
  return {
    everyEpochs: options.everyEpochs ?? 1,
    async save(state) {
      await mkdir(dir, { recursive: true });
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
 * @param dir - The checkpoint directory.
 * @param registry - Where to find the family; the shared registry by default.
 * @param overrides - Settings to change in the restored run, e.g. its learning rate.
 * @throws DataFileError naming the file when one is missing, truncated or corrupt.
 */
export async function loadCheckpoint(dir: string, registry: FamilyRegistry = defaultRegistry, overrides: CheckpointOverrides = {}): Promise<LoadedCheckpoint> {
  const stateFile = join(dir, CHECKPOINT_STATE);
  let text: string;
  try {
    text = await readFile(stateFile, 'utf8');
  } catch (error) {
    throw new DataFileError(stateFile, `no checkpoint to resume from (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  let file: CheckpointFile;
  try {
    file = JSON.parse(text);
  } catch {
    throw new DataFileError(stateFile, 'is not valid JSON (truncated or corrupt)');
  }
  if (file.format !== 'aekit-checkpoint' || file.version !== 1 || !file.weights || !file.progress) {
    throw new DataFileError(stateFile, 'is not an aekit checkpoint');
  }
  const optimizerConfig = checkedOptimizerConfig(file, stateFile, overrides);
  const values = await readWeightsFile(dir, file.weights, stateFile);
  const autoencoder = registry.create(file.family, file.config, { seed: 0, dataShape: file.dataShape });
  try {
    assignWeights(autoencoder.model, values, file.weights.specs.map((s) => s.name), stateFile, `'${file.family}' model`);
    const optimizer = await restoreOptimizer(dir, { ...file, optimizer: { ...file.optimizer, config: optimizerConfig } }, stateFile);
    const bestWeights = file.bestWeights ? await readWeightsFile(dir, file.bestWeights, stateFile) : undefined;
    return { autoencoder, optimizer, progress: file.progress, bestWeights, dataShape: file.dataShape, run: file.run, reason: file.reason };
  } catch (error) {
    autoencoder.dispose();
    throw error;
  } finally {
    tf.dispose(values);
  }
}

/**
 * The optimizer's settings from a checkpoint, checked as a new run's are
 * (finite numbers, a positive learning rate), with any override applied.
 */
function checkedOptimizerConfig(file: CheckpointFile, stateFile: string, overrides: CheckpointOverrides): tf.serialization.ConfigDict {
  const optimizer = file.optimizer as Partial<CheckpointFile['optimizer']> | undefined;
  if (!optimizer || typeof optimizer !== 'object' || typeof optimizer.className !== 'string' || !optimizer.config || typeof optimizer.config !== 'object') {
    throw new DataFileError(stateFile, 'optimizer: expected the class and settings of the optimizer');
  }
  for (const [key, value] of Object.entries(optimizer.config)) {
    const bad = typeof value === 'number' && (!Number.isFinite(value) || (key === 'learningRate' && value <= 0));
    if (bad || (key === 'learningRate' && typeof value !== 'number')) {
      throw new DataFileError(stateFile, `optimizer.config.${key}: expected a ${key === 'learningRate' ? 'positive' : 'finite'} number, got ${JSON.stringify(value) ?? String(value)}`);
    }
  }
  return overrides.learningRate === undefined ? optimizer.config : { ...optimizer.config, learningRate: overrides.learningRate };
}

async function restoreOptimizer(dir: string, file: CheckpointFile, stateFile: string): Promise<tf.Optimizer> {
  const entry = tf.serialization.SerializationMap.getMap().classNameMap[file.optimizer.className];
  if (!entry) throw new AeError('checkpoint', `${stateFile}: unknown optimizer class '${file.optimizer.className}'`);
  const [cls, fromConfig] = entry;
  // Adam resumes as the fused Adam that createOptimizer('adam') trains with (same state, same results).
  const optimizer = fromConfig(file.optimizer.className === 'Adam' ? FusedAdamOptimizer : cls, file.optimizer.config) as tf.Optimizer;
  if (file.optimizer.state) {
    const tensors = await readWeightsFile(dir, file.optimizer.state, stateFile);
    await optimizer.setWeights(file.optimizer.state.specs.map((s, i) => ({ name: s.name, tensor: tensors[i] })));
  }
  restoreScalarState(optimizer, file.optimizer.scalars);
  return optimizer;
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
