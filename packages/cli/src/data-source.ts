import { stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { existsSync } from 'node:fs';
import { ConfigError, DataFileError, type DatasetLoadOptions, type LoadedDataset } from '@aekit/core';
import { IDX_FILES, loadMnist } from '@aekit/data-mnist';
import type * as DataImages from '@aekit/data-images';

/** What `--data <path>` points at, decided by the path alone. */
export type DataKind = 'idx' | 'images' | 'table';

/** File endings read as tables by `@aekit/data-tables`. */
export const TABLE_EXTENSIONS = ['.csv', '.tsv', '.jsonl', '.ndjson'] as const;

/** How `metrics.json` names data read with `--data`, by its kind. */
export const DATA_SOURCE_NAMES = { idx: 'idx', images: 'image-folder', table: 'table' } as const satisfies Record<DataKind, string>;

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
  /** Called as files are read, for a progress bar. */
  onProgress?: (progress: { phase: string; done: number; total: number }) => void;
}

/** Training and test data from `--data`, with what the user should be told about it. */
export interface LoadedDataSource extends LoadedDataset {
  kind: DataKind;
  /** Lines for the log, e.g. how many bad files were skipped. */
  warnings?: string[];
  /** Files or rows skipped with `--skip-bad`, for `metrics.json`. */
  skipped?: number;
  /** Class names, where sub-folders gave them. */
  classes?: string[];
}

/**
 * Decides how to read `--data`: a folder with the idx files of MNIST's
 * layout is an idx image set, any other folder a folder of images, and a
 * `.csv`, `.tsv` or `.jsonl` file a table.
 *
 * @param path - The `--data` value.
 * @throws DataFileError naming the path when it does not exist or is a file of another kind.
 */
export async function dataKind(path: string): Promise<DataKind> {
  let info;
  try {
    info = await stat(path);
  } catch {
    throw new DataFileError(path, 'does not exist (--data takes a folder of images or idx files, or a .csv/.jsonl table)');
  }
  if (info.isDirectory()) return existsSync(join(path, IDX_FILES.trainImages)) ? 'idx' : 'images';
  if ((TABLE_EXTENSIONS as readonly string[]).includes(extname(path).toLowerCase())) return 'table';
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
    const mnist = await loadMnist({ dir: path, trainLimit: options.trainLimit, testLimit: options.testLimit });
    return { kind, train: mnist.train, test: mnist.test, source: mnist.dir };
  }
  if (kind === 'images') return loadImageData(path, options);
  return loadTableData(path, options);
}

/** Reads a folder of images with `@aekit/data-images`. */
async function loadImageData(path: string, options: DataSourceOptions): Promise<LoadedDataSource> {
  const images = await importOptional<typeof DataImages>('@aekit/data-images', path);
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
 * The hook for tables: reads `.csv`, `.tsv` and `.jsonl` files with
 * `@aekit/data-tables` (its `loadTableDataset(file, options)`), which is
 * imported only here.
 *
 * @param path - The table file.
 * @param options - Limits, seed, `skipBad` and any table settings.
 * @throws ConfigError naming the package when it is not installed.
 */
export async function loadTableData(path: string, options: DataSourceOptions): Promise<LoadedDataSource> {
  const tables = await importOptional<{ loadTableDataset?: (file: string, options: DatasetLoadOptions) => Promise<LoadedDataSource> }>('@aekit/data-tables', path);
  if (typeof tables.loadTableDataset !== 'function') {
    throw new ConfigError('data', `the installed @aekit/data-tables cannot read ${path} (it has no loadTableDataset)`);
  }
  const { onProgress: _progress, imageSize: _size, channels: _channels, ...tableOptions } = options;
  return { ...(await tables.loadTableDataset(path, tableOptions)), kind: 'table' };
}

/** Imports an optional reader package, or says which package to install. */
async function importOptional<T>(name: string, path: string): Promise<T> {
  try {
    return (await import(/* @vite-ignore */ name)) as T;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ERR_MODULE_NOT_FOUND' && String((error as Error).message).includes(name)) {
      throw new ConfigError('data', `reading ${path} needs the ${name} package; install it next to @aekit/cli`);
    }
    throw error;
  }
}
