// Runs in the main thread and in the codec thread: imports no module that loads TensorFlow.js.
import { flattenItems, InvalidInputError, type FlatBatch } from '@aekit/export-onnx/items';
import { checkJsonDepth } from './json.js';

/**
 * Reads a `/v1` JSON body, `{"inputs": [item, …]}`, each item flat or
 * nested in `itemShape`, every value a finite number of float32's range.
 *
 * @param bytes - The raw body.
 * @param itemShape - Shape of one item the action takes.
 * @param maxBatch - Most items accepted.
 * @throws InvalidInputError naming the first offending position.
 */
export function parseJsonItems(bytes: Uint8Array, itemShape: readonly number[], maxBatch: number): FlatBatch {
  checkJsonDepth(bytes);
  let body: unknown;
  try {
    body = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'));
  } catch (error) {
    throw new InvalidInputError(`body: not valid JSON (${(error as Error).message})`);
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body) || !Object.hasOwn(body, 'inputs')) {
    throw new InvalidInputError(`body: expected a JSON object {"inputs": [...]} with items of shape [${itemShape}]`);
  }
  return flattenItems((body as { inputs: unknown }).inputs, itemShape, { maxBatch, field: 'inputs' });
}
