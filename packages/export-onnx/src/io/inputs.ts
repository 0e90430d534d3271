import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { DataFileError, type FeatureScaler, type TableEncoding } from '@aekit/core';
import { readIdxFile } from '@aekit/data-mnist';
import { imageLayoutFor, readPng } from './images.js';
import { flattenItems, InvalidInputError } from './items.js';

/** Items read for inference, with a label for each (file name or index). */
export interface InputBatch {
  /** `count` items, row-major. */
  data: Float32Array;
  /** Number of items. */
  count: number;
  /** One label per item: the PNG's name, or `item-000001` for idx and JSON inputs. */
  sources: string[];
}

/** Options of {@link readInputs}. */
export interface ReadInputsOptions {
  /** Shape of one example of the data, to read PNGs for models with flat inputs. */
  dataShape?: readonly number[];
  /** Read at most this many items of an idx or JSON file. */
  limit?: number;
  /** For a model trained on a table: its columns and scaler, to read CSV or JSON-lines rows. */
  table?: { table: TableEncoding; scaler: FeatureScaler };
}

/**
 * Reads items for a model whose input items have `itemShape`, from
 *
 * - PNG files (`.png`), one item each, scaled to [0, 1];
 * - one idx file of unsigned bytes (e.g. MNIST's `t10k-images-idx3-ubyte`), scaled to [0, 1];
 * - one JSON file (`.json`): an array of items, `{ "inputs": [...] }`, or the
 *   codes `ae infer` writes for an encoder (`{ "outputs": { "code": [...] } }`,
 *   whose first output is read), so codes can be fed to a decoder;
 * - for a model trained on a table, one CSV, TSV or JSON-lines file of rows
 *   with the training columns, encoded as in training (categories one-hot)
 *   but left in raw units, which the model standardises itself.
 *
 * @throws DataFileError naming the file, or InvalidInputError, when an input does not fit the model.
 * @param files - The input files: PNGs, one idx file or one JSON file.
 * @param itemShape - Shape of one item the model takes.
 * @param options - The data shape recorded at export (to read PNGs for flat models) and the item limit.
 */
export async function readInputs(files: readonly string[], itemShape: readonly number[], options: ReadInputsOptions = {}): Promise<InputBatch> {
  if (files.length === 0) throw new InvalidInputError('no inputs given: pass PNG files, an idx file or a JSON file');
  const size = itemShape.reduce((a, b) => a * b, 1);
  if (files.every((f) => extname(f).toLowerCase() === '.png')) {
    const layout = imageLayoutFor(itemShape, options.dataShape);
    if (!layout) throw new InvalidInputError(`the model's input [${itemShape}] is not an image; pass an idx or JSON file`);
    const data = new Float32Array(files.length * size);
    for (const [i, file] of files.entries()) data.set(await readPng(file, layout), i * size);
    return { data, count: files.length, sources: files.map((f) => basename(f, extname(f))) };
  }
  if (files.length > 1) throw new InvalidInputError('pass PNG files, or exactly one idx or JSON file');
  const [file] = files;
  if (options.table && /\.(csv|tsv|jsonl|ndjson|parquet)$/i.test(file)) return readTableRows(file, options.table, options.limit);
  return extname(file).toLowerCase() === '.json' ? readJsonItems(file, itemShape, options.limit) : readIdxItems(file, size, options.limit);
}

async function readIdxItems(file: string, size: number, limit?: number): Promise<InputBatch> {
  const idx = await readIdxFile(file);
  const [n, ...item] = idx.dims;
  const itemSize = item.reduce((a, b) => a * b, 1);
  if (itemSize !== size) throw new DataFileError(file, `holds items of shape [${item}] (${itemSize} values); the model takes ${size} values per item`);
  const count = Math.min(n, limit ?? n);
  const data = new Float32Array(count * size);
  for (let i = 0; i < data.length; i++) data[i] = idx.data[i] / 255;
  return { data, count, sources: numbered(count) };
}

async function readJsonItems(file: string, itemShape: readonly number[], limit?: number): Promise<InputBatch> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new DataFileError(file, code === 'ENOENT' ? 'no such file' : `is not valid JSON (${(error as Error).message})`);
  }
  let items: unknown = json;
  let sources: unknown;
  if (json && typeof json === 'object' && !Array.isArray(json)) {
    const record = json as { inputs?: unknown; outputs?: Record<string, unknown>; sources?: unknown };
    items = record.inputs ?? (record.outputs ? Object.values(record.outputs)[0] : undefined);
    sources = record.sources;
  }
  if (Array.isArray(items) && limit !== undefined) items = items.slice(0, limit);
  let batch;
  try {
    batch = flattenItems(items, itemShape, { field: 'items' });
  } catch (error) {
    throw new DataFileError(file, (error as Error).message);
  }
  const names = Array.isArray(sources) && sources.length >= batch.count ? sources.slice(0, batch.count).map(String) : numbered(batch.count);
  return { ...batch, sources: names };
}

function numbered(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `item-${String(i).padStart(6, '0')}`);
}

async function readTableRows(file: string, encoding: { table: TableEncoding; scaler: FeatureScaler }, limit?: number): Promise<InputBatch> {
  const { readTable } = await import('@aekit/data-tables');
  const rows = await readTable(file, { encoding, testFraction: 1, testLimit: limit, standardize: false });
  const values = rows.test.data.batch(Int32Array.from({ length: rows.test.data.size }, (_, i) => i));
  const data = values.dataSync() as Float32Array;
  values.dispose();
  return { data, count: rows.test.data.size, sources: Array.from(rows.test.lines, (line) => `line-${line}`) };
}
