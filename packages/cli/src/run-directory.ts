import { access, mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { constants } from 'node:fs';
import { join, resolve } from 'node:path';
import { AeError, DataFileError, type EpochRecord, type NoiseSpec, type StopReason } from '@aekit/core';
import { writeFileAtomic } from '@aekit/core/node';

/**
 * The fields of `metrics.json`. Other tools and dashboards read these
 * names, so they are a stable interface: `family`, `config`, `backend`,
 * `epochs`, `history`, `testLoss`, `seconds` and `samplesPerSecond` always
 * exist; families may add their own fields beside them.
 */
export interface RunMetrics {
  family: string;
  config: Record<string, unknown>;
  backend: string;
  /** Epochs completed. */
  epochs: number;
  history: EpochRecord[];
  /** Total loss on the test set (noisy input, clean target for denoisers). */
  testLoss: number;
  /** Test value of each loss term. */
  testTerms: Record<string, number>;
  /** Seconds spent in training batches. */
  seconds: number;
  samplesPerSecond: number;
  batchSize: number;
  /** Threads that shared each batch. */
  workers: number;
  seed: number;
  noise: NoiseSpec | null;
  trainingSamples: number;
  validationSamples: number;
  testSamples: number;
  stopReason: StopReason;
  /** Dataset name (`mnist`, or one a plugin provides), or for `--data` what it was: `image-folder`, `idx` or `table`. */
  dataset: string;
  /** Where the data came from. */
  data: string;
  /** Seed of the train/test draw of `--data`, where it differs from `seed` (`--split-seed`). */
  splitSeed?: number;
  /** Share of `--data` held out for testing, where given (`--test-split`). */
  testSplit?: number;
  /** Whether bad files or rows were skipped (`--skip-bad`); `ae eval` and `ae score` do the same. */
  skipBad?: boolean;
  /** Where a large image folder's decoded cache is kept (`--cache-dir`). */
  cacheDir?: string;
  createdAt: string;
  [extra: string]: unknown;
}

/** Names of the files in a run directory. */
export const RUN_FILES = {
  model: 'model',
  checkpoint: 'checkpoint',
  metrics: 'metrics.json',
  reconstructions: 'reconstructions.png',
  loss: 'loss.png',
  codes: 'codes.png',
} as const;

/**
 * Creates the run directory, or checks an existing one, and proves it is
 * writable before any training time is spent.
 *
 * @throws AeError naming the directory when it cannot be written.
 * @param dir - The run directory, created if missing.
 * @returns Its absolute path, and whether this call created it (`ae train` removes a folder it created when the run fails before writing anything).
 */
export async function prepareRunDirectory(dir: string): Promise<{ path: string; created: boolean }> {
  const path = resolve(dir);
  const created = !(await exists(path));
  try {
    await mkdir(path, { recursive: true });
    await access(path, constants.W_OK);
    const probe = join(path, `.write-test-${process.pid}`);
    await writeFileAtomic(probe, '');
    await rm(probe, { force: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new AeError('output', `cannot write the run directory ${path} (${code})`);
  }
  return { path, created };
}

/**
 * Removes a run directory that a failed run created and left without a
 * single file (it failed before a checkpoint or a model was written), so
 * failed runs do not leave empty `runs/<family>-<time>/` folders behind.
 *
 * @param dir - The run directory.
 */
export async function removeEmptyRunDirectory(dir: string): Promise<void> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => undefined);
  if (entries && entries.every((entry) => entry.isDirectory())) await rm(dir, { recursive: true, force: true });
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Writes `metrics.json` atomically.
 *
 * @param dir - The run directory.
 * @param metrics - What the run measured, written as JSON.
 */
export async function writeMetrics(dir: string, metrics: RunMetrics): Promise<string> {
  const path = join(dir, RUN_FILES.metrics);
  await writeFileAtomic(path, JSON.stringify(metrics, null, 2) + '\n');
  return path;
}

/**
 * A default run directory name: `runs/<family>-<yyyymmdd-hhmmss>`.
 *
 * @param family - Family name the run trains, such as `dense`.
 * @param now - Time stamped into the name; the current time by default.
 */
export function defaultRunDirectory(family: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return join('runs', `${family}-${stamp}`);
}

/** The fields of a run's `metrics.json` that evaluation and scoring need to read the same data again. */
export type RunDataSettings = Partial<Pick<RunMetrics, 'seed' | 'data' | 'dataset' | 'splitSeed' | 'testSplit' | 'skipBad' | 'cacheDir'>> & { noise?: NoiseSpec | null };

/**
 * Reads a run's `metrics.json`, or `{}` when the run has none (a model
 * directory copied on its own).
 *
 * @throws DataFileError naming the file when it is not valid JSON.
 */
export async function readRunMetrics(dir: string): Promise<RunDataSettings> {
  const file = join(dir, RUN_FILES.metrics);
  try {
    return JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new DataFileError(file, 'is not valid JSON (truncated or corrupt)');
  }
}
