import { readdir, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { DataFileError, noiseSpecSchema, parseFileContents, z, type EpochRecord, type NoiseSpec, type StopReason } from '@aekit/core';
import { OUTPUT_MARKER, prepareOutputFolder, readJsonFile, writeFileAtomic } from '@aekit/core/node';

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
  /** Each epoch's losses; `epoch` counts from 1, as the training log does. */
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
  /** The epoch with the lowest validation loss (training loss without validation data), counted from 1 as the log and `history` count; 0 when no epoch ran. */
  bestEpoch?: number;
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
  /** The training rows of a table: those whose `column` holds `value` (`--normal` with `--label`, or `--train-where`); `ae score` takes a label's as the normal value. */
  trainWhere?: { column: string; value: string; not?: boolean };
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
 * writable before any training time is spent. An existing path must be a
 * folder that is empty or that `ae train` wrote (it holds `metrics.json`,
 * `model/` or `checkpoint/`): a file, a device or a folder of the user's own
 * is refused, never written into. Temporary files that a killed run left
 * there (in `checkpoint/` and `model/` too) are removed.
 *
 * @example
 * ```ts
 * import { prepareRunDirectory } from '@aekit/cli';
 *
 * const dir = await prepareRunDirectory('runs/dense');
 * console.log(dir); // its absolute path: an empty (or an earlier run's) folder, proven writable
 * ```
 * @throws OutputError naming the directory when it cannot be used.
 * @param dir - The run directory, created if missing.
 * @param option - The option that named it, for messages.
 * @param settings - How to prepare it.
 * @param settings.marker - Leave aekit's marker in it, for a command that writes files there before `ae train` does (`ae detect`'s generated series).
 */
export async function prepareRunDirectory(dir: string, option = '--out', settings: { marker?: boolean } = {}): Promise<string> {
  return prepareOutputFolder(dir, { option, marker: settings.marker ?? false, expected: [RUN_FILES.metrics, RUN_FILES.model, RUN_FILES.checkpoint] });
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
  if (entries && entries.every((entry) => entry.isDirectory() || entry.name === OUTPUT_MARKER)) await rm(dir, { recursive: true, force: true });
}

/**
 * Writes `metrics.json` atomically.
 *
 * @example
 * ```ts
 * import { writeMetrics, type RunMetrics } from '@aekit/cli';
 *
 * declare const metrics: RunMetrics; // what the run measured
 * const path = await writeMetrics('runs/dense', metrics);
 * console.log(path); // 'runs/dense/metrics.json'
 * ```
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
 * @example
 * ```ts
 * import { defaultRunDirectory } from '@aekit/cli';
 *
 * defaultRunDirectory('dense', new Date(2026, 0, 15, 9, 30, 5)); // 'runs/dense-20260115-093005'
 * ```
 * @param family - Family name the run trains, such as `dense`.
 * @param now - Time stamped into the name; the current time by default.
 */
export function defaultRunDirectory(family: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return join('runs', `${family}-${stamp}`);
}

/** The fields of a run's `metrics.json` that evaluation and scoring need to read the same data again. */
export type RunDataSettings = Partial<Pick<RunMetrics, 'seed' | 'data' | 'dataset' | 'splitSeed' | 'testSplit' | 'skipBad' | 'cacheDir' | 'trainWhere'>> & { noise?: NoiseSpec | null };

/** The fields of `metrics.json` that evaluation and scoring read back, checked; the others pass through. */
const runDataSettingsSchema = z
  .object({
    seed: z.number().int().nonnegative().optional(),
    data: z.string().optional(),
    dataset: z.string().optional(),
    noise: noiseSpecSchema.nullable().optional(),
  })
  .passthrough();

/**
 * Checks that a path given as a run directory is a folder, so that a file
 * given by mistake is named as such rather than reported as a broken run.
 *
 * @param dir - The path given.
 * @returns The absolute path.
 * @throws DataFileError naming the path when it is missing or not a folder.
 */
export async function checkRunDirectory(dir: string): Promise<string> {
  const path = resolve(dir);
  let stats;
  try {
    stats = await stat(path);
  } catch (error) {
    throw new DataFileError(path, `no such run directory (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  if (!stats.isDirectory()) throw new DataFileError(path, 'is a file, not a run directory (a folder written by ae train, holding model/ and metrics.json)');
  return path;
}

/**
 * Reads a run's `metrics.json`, or `{}` when the run has none (a model
 * directory copied on its own), checking the fields evaluation reads.
 *
 * @throws DataFileError naming the file when it is not valid JSON or a field is wrong.
 */
export async function readRunMetrics(dir: string): Promise<RunDataSettings> {
  const file = join(await checkRunDirectory(dir), RUN_FILES.metrics);
  const json = await readJsonFile(file, 'run metrics', { optional: true });
  return json === undefined ? {} : parseFileContents(runDataSettingsSchema, json, file);
}
