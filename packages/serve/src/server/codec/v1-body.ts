// Runs in the main thread and in the codec thread: imports no module that loads TensorFlow.js.
import { describeValue, flattenItems, InvalidInputError, type FlatBatch } from '@aekit/export-onnx/items';
import { checkJsonDepth } from './json.js';

/**
 * Raw items of a `/v1` body, `{"items": [...]}`: table rows as objects of
 * column values, image files as base64 strings of their bytes. The main
 * thread prepares them with the model's saved preprocessing.
 */
export interface RawJsonItems {
  raw: (string | Record<string, unknown>)[];
}

/** A `/v1` JSON body read: model inputs, or raw items still to prepare. */
export type V1Body = FlatBatch | RawJsonItems;

/**
 * Reads a `/v1` JSON body: `{"inputs": [item, …]}`, each item flat or
 * nested in `itemShape`, every value a finite number of float32's range;
 * or `{"items": [raw, …]}`, raw items (table rows as objects, image files
 * as base64 strings) for the main thread to prepare.
 *
 * @param bytes - The raw body.
 * @param itemShape - Shape of one item the action takes.
 * @param maxBatch - Most items accepted.
 * @throws InvalidInputError naming the first offending position.
 */
export function parseJsonItems(bytes: Uint8Array, itemShape: readonly number[], maxBatch: number): V1Body {
  checkJsonDepth(bytes);
  let body: unknown;
  try {
    body = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'));
  } catch (error) {
    throw new InvalidInputError(`body: not valid JSON (${(error as Error).message})`);
  }
  if (body !== null && typeof body === 'object' && !Array.isArray(body) && Object.hasOwn(body, 'items') && !Object.hasOwn(body, 'inputs')) {
    return { raw: rawItems((body as { items: unknown }).items, maxBatch) };
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body) || !Object.hasOwn(body, 'inputs')) {
    throw new InvalidInputError(`body: expected a JSON object {"inputs": [...]} with items of shape [${itemShape}], or {"items": [...]} with raw items`);
  }
  return flattenItems((body as { inputs: unknown }).inputs, itemShape, { maxBatch, field: 'inputs' });
}

function rawItems(items: unknown, maxBatch: number): RawJsonItems['raw'] {
  if (!Array.isArray(items)) throw new InvalidInputError(`items: expected an array of raw items, got ${describeValue(items)}`);
  if (items.length === 0) throw new InvalidInputError('items: expected at least one item, got an empty array');
  if (items.length > maxBatch) throw new InvalidInputError(`items: a batch of ${items.length} items is more than the limit of ${maxBatch}`);
  items.forEach((item, i) => {
    if (typeof item === 'string' || (item !== null && typeof item === 'object' && !Array.isArray(item))) return;
    throw new InvalidInputError(`items[${i}]: expected a table row as an object of column values or an image file as a base64 string, got ${describeValue(item)}`);
  });
  return items as RawJsonItems['raw'];
}
