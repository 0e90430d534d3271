import { readdir, stat } from 'node:fs/promises';
import { extname, relative } from 'node:path';
import { ConfigError, DataFileError, imagePreprocessingFor, type DatasetLoadOptions, type ImputeStrategy, type LoadedDataset, type Preprocessing } from '@aekit/core';
import { BUILT_IN_DATASET, loadDataset } from './datasets.js';
import { importDataTables, importOptional } from './optional-packages.js';
import type { RunDataSettings } from './run-directory.js';

/** What `--data <path>` points at, decided by the path alone. */
export type DataKind = 'idx' | 'images' | 'table';

/** File endings read as tables by `@aekit/data-tables`. */
export const TABLE_EXTENSIONS = ['.csv', '.tsv', '.jsonl', '.ndjson', '.json', '.parquet'] as const;

/**
 * Whether a path names a table file, by its ending (see {@link TABLE_EXTENSIONS}).
 *
 * @param path - A `--data` value or a file to score.
 */
export function isTableFile(path: string): boolean {
  return (TABLE_EXTENSIONS as readonly string[]).includes(extname(path).toLowerCase());
}

/** How `metrics.json` names data read with `--data`, by its kind. */
export const DATA_SOURCE_NAMES = { idx: 'idx', images: 'image-folder', table: 'table', series: 'series' } as const satisfies Record<DataKind | 'series', string>;

/** Whether a run's `dataset` name means it was trained on `--data` (see {@link DATA_SOURCE_NAMES}). */
export function isDataSourceName(name: string): boolean {
  return (Object.values(DATA_SOURCE_NAMES) as string[]).includes(name);
}

/** Options for reading the user's data; the image ones apply to image folders only. */
export interface DataSourceOptions extends DatasetLoadOptions {
  /** `--image-size WIDTHxHEIGHT`: resize every image. */
  imageSize?: string;
  /** `--channels 1|3`. */
  channels?: 1 | 3;
  /** `--skip-bad`: skip and count unreadable files instead of stopping at the first. */
  skipBad?: boolean;
  /** `--cache-dir`: where a large image folder's decoded cache is kept for reuse; without it the cache goes to the temporary folder and is removed when the command ends. */
  cacheDir?: string;
  /** Tables: `--columns`, the feature columns to keep. */
  columns?: readonly string[];
  /** Tables: `--drop`, columns to leave out. */
  drop?: readonly string[];
  /** Tables: `--impute`, how empty cells are filled. */
  impute?: ImputeStrategy;
  /** Tables: `--max-categories`, most categories of a one-hot column. */
  maxCategories?: number;
  /** Tables: `--delimiter`. */
  delimiter?: string;
  /** Tables: `--train-where column=value` (or `--normal` with `--label`): the rows to train on. */
  trainWhere?: { column: string; value: string; not?: boolean };
  /**
   * Called as files are read, for a progress bar. `phase` says what is
   * counted: image folders check sizes (`header`) then decode (`decode`);
   * tables scan bytes (`scan`) then encode rows (`encode`).
   */
  onProgress?: (progress: { phase: string; done: number; total: number }) => void;
}

/** Training and test data from `--data`, with what the user should be told about it. */
export interface LoadedDataSource extends LoadedDataset {
  kind: DataKind;
  /** Files or rows skipped with `--skip-bad`, for `metrics.json`. */
  skipped?: number;
}

/**
 * Decides how to read `--data`: a folder with idx image files (MNIST's
 * layout, `*-idx3-ubyte`) is an idx image set, any other folder a folder of
 * images, and a file with a {@link TABLE_EXTENSIONS} ending a table.
 *
 * @param path - The `--data` value.
 * @throws DataFileError naming the path when it does not exist or is a file of another kind.
 */
export async function dataKind(path: string): Promise<DataKind> {
  let info;
  try {
    info = await stat(path);
  } catch {
    throw new DataFileError(path, `does not exist (--data takes a folder of images or idx files, or a table: ${TABLE_EXTENSIONS.join(', ')})`);
  }
  if (info.isDirectory()) return (await readdir(path)).some((name) => name.endsWith('-idx3-ubyte')) ? 'idx' : 'images';
  if (isTableFile(path)) return 'table';
  throw new DataFileError(path, `is a file that --data cannot read; give a folder of images or idx files, or a table (${TABLE_EXTENSIONS.join(', ')})`);
}

/**
 * Loads `--data <path>` by its {@link dataKind}: idx files with the MNIST
 * reader, image folders with `@aekit/data-images`, tables with
 * `@aekit/data-tables`. The image and table readers are imported only when
 * used, so installs without them still train on MNIST.
 *
 * @param path - The `--data` value.
 * @param options - Limits, seed, and the image or table settings.
 */
export async function loadDataSource(path: string, options: DataSourceOptions): Promise<LoadedDataSource> {
  const kind = await dataKind(path);
  const what = kind === 'idx' ? 'a folder of idx files' : kind === 'images' ? 'a folder of images' : 'a table';
  const misplaced: [unknown, string, DataKind[]][] = [
    [options.imageSize, '--image-size', ['images']],
    [options.channels, '--channels', ['images']],
    [options.cacheDir, '--cache-dir', ['images']],
    [options.columns, '--columns', ['table']],
    [options.drop, '--drop', ['table']],
    [options.impute, '--impute', ['table']],
    [options.maxCategories, '--max-categories', ['table']],
    [options.delimiter, '--delimiter', ['table']],
    [options.trainWhere, '--train-where', ['table']],
    [options.testSplit, '--test-split', ['table', 'images']],
  ];
  for (const [value, flag, kinds] of misplaced) {
    if (value !== undefined && !kinds.includes(kind)) throw new ConfigError(flag.slice(2), `${flag} applies to ${kinds.map((k) => (k === 'table' ? 'tables' : 'folders of images')).join(' and ')}, and ${path} is ${what}`);
  }
  if (kind === 'idx') {
    const { loadMnist } = await importOptional('@aekit/data-mnist', () => import('@aekit/data-mnist'), 'to read idx files');
    const mnist = await loadMnist({ dir: path, trainLimit: options.trainLimit, testLimit: options.testLimit });
    return { kind, train: mnist.train, test: mnist.test, source: mnist.dir, preprocessing: imagePreprocessingFor(mnist.train.exampleShape) };
  }
  if (kind === 'images') return loadImageData(path, options);
  return loadTableData(path, options);
}

/** Reads a folder of images with `@aekit/data-images`. */
async function loadImageData(path: string, options: DataSourceOptions): Promise<LoadedDataSource> {
  const images = await importOptional('@aekit/data-images', () => import('@aekit/data-images'), `to read the images in ${path}`);
  const saved = options.preprocessing?.kind === 'image' ? options.preprocessing : undefined;
  const data = await images.loadImageFolder(path, {
    size: options.imageSize ? images.parseImageSize(options.imageSize) : undefined,
    channels: options.channels,
    preprocessing: saved,
    skipBad: options.skipBad,
    seed: options.splitSeed ?? options.seed,
    testSplit: options.testSplit,
    cacheDir: options.cacheDir,
    // A folder named for the cache gets it whatever the folder's size, for reuse by later runs.
    ...(options.cacheDir !== undefined ? { memoryBytes: 0 } : {}),
    removeCache: options.cacheDir === undefined,
    trainLimit: options.trainLimit,
    testLimit: options.testLimit,
    onProgress: options.onProgress,
  });
  const [h, w, c] = data.imageShape;
  const warnings = [
    `read ${data.train.size + data.test.size} images of ${w}x${h}x${c} from ${path}` +
      `${data.classes.length > 0 ? ` in ${data.classes.length} classes` : ''}` +
      `${data.cacheFile ? `, streamed from the decoded cache ${data.cacheFile}${data.cacheReused ? ' (reused)' : ''}${options.cacheDir === undefined ? ', removed at the end (--cache-dir keeps it for reuse)' : ''}` : ''}`,
  ];
  if (data.skipped.length > 0) {
    const first = data.skipped[0];
    warnings.push(`skipped ${data.skipped.length} bad image${data.skipped.length > 1 ? 's' : ''} (the first: ${first.file}: ${first.reason})`);
  }
  return {
    kind: 'images',
    train: data.train,
    test: data.test,
    source: data.source,
    warnings,
    skipped: data.skipped.length,
    classes: data.classes.length > 0 ? data.classes : undefined,
    testIds: data.files.test.map((file) => relative(path, file)),
    preprocessing: data.preprocessing,
    close: () => data.close(),
  };
}

/**
 * Reads a table file (`.csv`, `.tsv`, `.jsonl`, `.json`, `.parquet`) with
 * `@aekit/data-tables`, which is imported only here.
 *
 * @param path - The table file.
 * @param options - Limits, seed, `label`, `skipBad`, the column choices and a saved preprocessing to apply.
 */
async function loadTableData(path: string, options: DataSourceOptions): Promise<LoadedDataSource> {
  const tables = await importDataTables();
  const { imageSize: _size, channels: _channels, cacheDir: _cache, ...tableOptions } = options;
  const data = await tables.loadTableDataset(path, tableOptions);
  return { ...data, kind: 'table' };
}

/** Options of {@link loadRunData}. */
export interface RunDataOptions {
  /** Data to read instead of the run's own (`ae eval --data`). */
  data?: string;
  /** Use only the first N test examples. */
  testLimit?: number;
  /** The run model's saved preprocessing, applied again rather than refitted. */
  preprocessing?: Preprocessing;
  /** Skip and count bad rows or files; the run's own setting unless given. */
  skipBad?: boolean;
  /** Where a large image folder's decoded cache is kept; the run's own setting unless given. */
  cacheDir?: string;
}

/**
 * The data a finished run trained on, read again the same way (the same
 * split seed and test share, the same bad-item policy; images and tables
 * with the model's saved preprocessing), for `ae eval` and `ae score`.
 *
 * @param run - The run's `metrics.json` fields about its data.
 * @param options - Data to read instead, limits, and the model's preprocessing.
 * @throws ConfigError naming `data` when the run does not say what it was trained on.
 */
export async function loadRunData(run: RunDataSettings, options: RunDataOptions): Promise<LoadedDataset> {
  if (run.dataset === undefined && !options.data) {
    throw new ConfigError('data', 'the run has no metrics.json saying what data its model was trained on; give the data to use');
  }
  const datasetName = run.dataset ?? BUILT_IN_DATASET;
  const common = {
    testLimit: options.testLimit,
    seed: run.seed ?? 0,
    splitSeed: run.splitSeed,
    testSplit: run.testSplit,
    preprocessing: options.preprocessing,
    skipBad: options.skipBad ?? run.skipBad,
  };
  if (isDataSourceName(datasetName) || (options.data && datasetName === BUILT_IN_DATASET)) {
    const path = options.data ?? run.data;
    if (!path) throw new ConfigError('data', `the run does not say which data it was trained on; give it with --data`);
    const kind = await dataKind(path);
    return loadDataSource(path, { ...common, testSplit: kind === 'idx' ? undefined : common.testSplit, cacheDir: kind === 'images' ? (options.cacheDir ?? run.cacheDir) : undefined });
  }
  return loadDataset(datasetName, { ...common, dir: options.data ?? (datasetName === BUILT_IN_DATASET ? run.data : undefined) });
}
