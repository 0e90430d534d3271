import { readFile, stat } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { DataFileError, imagePreprocessingFor, preprocessors, range, type Preprocessing, type PreprocessingStep } from '@aekit/core';
import { imageLayoutFor } from './images.js';
import { flattenItems, InvalidInputError } from './items.js';

/** Items read for inference, with a label for each (file name or index). */
export interface InputBatch {
  /** `count` items, row-major. */
  data: Float32Array;
  /** Number of items. */
  count: number;
  /** One label per item: an image's name, `line-12` for a table row, `item-000001` for JSON inputs. */
  sources: string[];
  /** Items skipped with `skipBad`, and the first one's reason. */
  skipped?: { count: number; first?: string };
}

/** Options of {@link readInputs}. */
export interface ReadInputsOptions {
  /** Shape of one example of the data, to read images for models without a saved preprocessing. */
  dataShape?: readonly number[];
  /** Read at most this many items. */
  limit?: number;
  /** The model's preprocessing (its ONNX metadata's `aekit.preprocessing`), applied to raw items. */
  preprocessing?: Preprocessing;
  /** The steps of the preprocessing the model does itself (`scale` for a table model), left out here. */
  inModel?: readonly PreprocessingStep[];
  /** Skip and count unreadable files or bad rows instead of stopping at the first. */
  skipBad?: boolean;
}

/**
 * Reads items for a model whose input items have `itemShape`:
 *
 * - one JSON file (`.json`) of model inputs: an array of items,
 *   `{ "inputs": [...] }`, or the codes `ae infer` writes for an encoder
 *   (`{ "outputs": { "code": [...] } }`, whose first output is read), so
 *   codes can be fed to a decoder;
 * - anything else as raw items, read and prepared with the model's saved
 *   preprocessing through core's `preprocessors`, exactly as training read
 *   them: PNG/JPEG files or a folder of them (any size, transparency
 *   flattened as in training), idx files, or one table file (the table's
 *   standardisation is inside the graph, so rows stay in raw units).
 *
 * @example
 * ```ts
 * import '@aekit/data-images'; // registers the reader of image files
 * import { OnnxModelFile, readInputs } from '@aekit/export-onnx';
 *
 * const file = await OnnxModelFile.read('mnist.onnx');
 * const { preprocessing, dataShape, inModel } = file.metadata;
 * const batch = await readInputs(['digits/'], file.itemShape, { preprocessing, dataShape, inModel, limit: 100 });
 * console.log(batch.count, batch.sources[0]); // up to 100, and the first image's name, e.g. '0' for digits/0.png
 * ```
 * @throws DataFileError naming the file, or InvalidInputError, when an input does not fit the model.
 * @param files - The input files.
 * @param itemShape - Shape of one item the model takes.
 * @param options - The model's preprocessing, the data shape recorded at export, the item limit and the bad-item policy.
 */
export async function readInputs(files: readonly string[], itemShape: readonly number[], options: ReadInputsOptions = {}): Promise<InputBatch> {
  if (files.length === 0) throw new InvalidInputError('no inputs given: pass image files, an idx file, a table or a JSON file');
  if (files.length === 1 && extname(files[0]).toLowerCase() === '.json' && options.preprocessing?.kind !== 'table') return readJsonItems(files[0], itemShape, options.limit);
  const preprocessing = options.preprocessing ?? imageDescription(itemShape, options.dataShape);
  if (!preprocessing) throw new InvalidInputError(`the model's input [${itemShape}] keeps no preprocessing to read raw items with; pass a JSON file of inputs`);
  const items = await preprocessors.read(files, preprocessing, { limit: options.limit, skipBad: options.skipBad, inModel: options.inModel });
  const inFolder = files.length === 1 && (await stat(files[0])).isDirectory();
  try {
    const size = itemShape.reduce((a, b) => a * b, 1);
    const per = items.data.exampleShape.reduce((a, b) => a * b, 1);
    if (per !== size) throw new InvalidInputError(`${items.source} gives items of ${per} values; the model takes ${size}`);
    const values = items.data.batch(range(0, items.data.size));
    const data = values.dataSync() as Float32Array;
    values.dispose();
    return {
      data,
      count: items.data.size,
      sources: items.ids.map((id) => sourceName(id, inFolder)),
      ...(items.skipped ? { skipped: { count: items.skipped, first: items.firstSkipped } } : {}),
    };
  } finally {
    await items.close?.();
  }
}

/**
 * An item's name for output files: a file given by its base name, an image
 * of a folder by its place there (`normal/0.png` → `normal-0`, so two
 * sub-folders' `0.png` do not collide), `line 12` as `line-12`.
 */
function sourceName(id: string, inFolder: boolean): string {
  const bare = id.slice(0, id.length - extname(id).length);
  return (inFolder ? bare.split(/[\\/]/).join('-') : basename(bare)).replace(/ /g, '-');
}

/** An image description for a model exported without one, from the shape of its items (as `ae train` reads images). */
function imageDescription(itemShape: readonly number[], dataShape?: readonly number[]): Preprocessing | undefined {
  const layout = imageLayoutFor(itemShape, dataShape);
  return layout && imagePreprocessingFor([layout.height, layout.width, layout.channels]);
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
