import { readdir, stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { ConfigError, DataFileError, type DatasetLoadOptions, type LoadedDataset } from '@aekit/core';
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

/**
 * The image options that read a folder again as a run saw it: the size and
 * channels of its examples `[height, width, channels]`.
 *
 * @param dataShape - Shape of one example the run trained on.
 */
export function imageOptionsFor(dataShape: readonly number[]): { imageSize?: string; channels?: 1 | 3 } {
  const [height, width, channels] = dataShape;
  if (dataShape.length !== 3 || (channels !== 1 && channels !== 3)) return {};
  return { imageSize: `${width}x${height}`, channels };
}

/** Options for reading the user's data; the image ones apply to image folders only. */
export interface DataSourceOptions extends DatasetLoadOptions {
  /** `--image-size WIDTHxHEIGHT`: resize every image. */
  imageSize?: string;
  /** `--channels 1|3`. */
  channels?: 1 | 3;
  /** `--skip-bad`: skip and count unreadable files instead of stopping at the first. */
  skipBad?: boolean;
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
  /** Class names, where sub-folders gave them. */
  classes?: string[];
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
  if (kind !== 'images') {
    for (const [value, flag] of [[options.imageSize, '--image-size'], [options.channels, '--channels']] as const) {
      if (value !== undefined) throw new ConfigError(flag.slice(2), `${flag} applies to folders of images, and ${path} is ${kind === 'idx' ? 'a folder of idx files' : 'a table'}`);
    }
  }
  if (kind === 'idx') {
    const { loadMnist } = await importOptional('@aekit/data-mnist', () => import('@aekit/data-mnist'), 'to read idx files');
    const mnist = await loadMnist({ dir: path, trainLimit: options.trainLimit, testLimit: options.testLimit });
    return { kind, train: mnist.train, test: mnist.test, source: mnist.dir };
  }
  if (kind === 'images') return loadImageData(path, options);
  return loadTableData(path, options);
}

/** Reads a folder of images with `@aekit/data-images`. */
async function loadImageData(path: string, options: DataSourceOptions): Promise<LoadedDataSource> {
  const images = await importOptional('@aekit/data-images', () => import('@aekit/data-images'), `to read the images in ${path}`);
  const data = await images.loadImageFolder(path, {
    size: options.imageSize ? images.parseImageSize(options.imageSize) : undefined,
    channels: options.channels,
    skipBad: options.skipBad,
    seed: options.seed,
    trainLimit: options.trainLimit,
    testLimit: options.testLimit,
    onProgress: options.onProgress,
  });
  const [h, w, c] = data.imageShape;
  const warnings = [
    `read ${data.train.size + data.test.size} images of ${w}x${h}x${c} from ${path}` +
      `${data.classes.length > 0 ? ` in ${data.classes.length} classes` : ''}` +
      `${data.cacheFile ? `, streamed from the decoded cache ${data.cacheFile}${data.cacheReused ? ' (reused)' : ''}` : ''}`,
  ];
  if (data.skipped.length > 0) {
    const first = data.skipped[0];
    warnings.push(`skipped ${data.skipped.length} bad image${data.skipped.length > 1 ? 's' : ''} (the first: ${first.file}: ${first.reason})`);
  }
  return { kind: 'images', train: data.train, test: data.test, source: data.source, warnings, skipped: data.skipped.length, classes: data.classes };
}

/**
 * Reads a table file (`.csv`, `.tsv`, `.jsonl`, `.json`, `.parquet`) with
 * `@aekit/data-tables`, which is imported only here.
 *
 * @param path - The table file.
 * @param options - Limits, seed, `label`, `skipBad` and a saved encoding to reuse.
 */
async function loadTableData(path: string, options: DataSourceOptions): Promise<LoadedDataSource> {
  const tables = await importDataTables();
  const { imageSize: _size, channels: _channels, ...tableOptions } = options;
  const data = await tables.loadTableDataset(path, tableOptions);
  return { ...data, kind: 'table' };
}

/** Options of {@link loadRunData}. */
export interface RunDataOptions {
  /** Data to read instead of the run's own (`ae eval --data`, `ae score <run> <data>`). */
  data?: string;
  /** Use only the first N test examples. */
  testLimit?: number;
  /** The run model's saved encoding (a table's columns and scaler), applied again rather than refitted. */
  encoding?: DatasetLoadOptions['encoding'];
  /** Skip and count bad rows or files. */
  skipBad?: boolean;
  /** Shape of one example the model was trained on, to read an image folder at that size. */
  dataShape?: readonly number[];
}

/**
 * The data a finished run trained on, read again the same way (the same
 * seed and split; images at the trained size; a table with its saved
 * encoding), for `ae eval` and `ae score`.
 *
 * @param run - The run's `metrics.json` fields about its data.
 * @param options - Data to read instead, limits, and the model's encoding and example shape.
 */
export async function loadRunData(run: RunDataSettings, options: RunDataOptions): Promise<LoadedDataset> {
  const datasetName = run.dataset ?? BUILT_IN_DATASET;
  const seed = run.seed ?? 0;
  const common = { testLimit: options.testLimit, seed, encoding: options.encoding, skipBad: options.skipBad };
  if (isDataSourceName(datasetName) || (options.data && datasetName === BUILT_IN_DATASET)) {
    const path = options.data ?? run.data;
    if (!path) throw new ConfigError('data', `the run does not say which data it was trained on; give it with --data`);
    const images = datasetName === DATA_SOURCE_NAMES.images && options.dataShape ? imageOptionsFor(options.dataShape) : {};
    return loadDataSource(path, { ...common, ...images });
  }
  return loadDataset(datasetName, { ...common, dir: options.data ?? (datasetName === BUILT_IN_DATASET ? run.data : undefined) });
}
