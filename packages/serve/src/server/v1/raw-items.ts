import { AeError, preprocessors, type RawItem } from '@aekit/core';
import { InvalidInputError, type FlatBatch } from '@aekit/export-onnx';
import type { RawJsonItems } from '../codec/v1-body.js';
import { HttpError } from '../errors.js';
import type { Action, ServedModel } from '../served-model.js';

/**
 * Prepares raw items of a `/v1` body (`{"items": [...]}`) for a model with
 * the preprocessing saved in its ONNX metadata, through core's
 * `preprocessors` exactly as `ae infer` prepares files: a table row (an
 * object of column values) is encoded and its empty cells filled as in
 * training, an image file (base64 of its bytes) decoded, flattened onto the
 * background and resized. Steps the graph does itself (`inModel`, a table's
 * standardisation) are left to it. Runs on the main thread: the readers
 * come from the data packages the `ae` command registers (this package
 * imports none).
 *
 * @param model - The served model.
 * @param action - The action; `decode` takes codes, never raw items.
 * @param raw - The raw items as the body gave them.
 * @param itemShape - Shape of one input of the action.
 * @throws InvalidInputError (400) naming the item that cannot be prepared, or when the model keeps no preprocessing.
 */
export async function prepareRawItems(model: ServedModel, action: Action, raw: RawJsonItems['raw'], itemShape: readonly number[]): Promise<FlatBatch> {
  if (action === 'decode') throw new InvalidInputError('items: a decoder takes codes, not raw items; send {"inputs": [...]}');
  const metadata = Object.values(model.parts).find((part) => part?.file.metadata.preprocessing)?.file.metadata;
  if (!metadata?.preprocessing) {
    throw new InvalidInputError(`items: model '${model.name}' keeps no preprocessing to prepare raw items with; send model inputs as {"inputs": [...]}`);
  }
  const items: RawItem[] = raw.map((item) => (typeof item === 'string' ? new Uint8Array(Buffer.from(item, 'base64')) : item));
  let data: Float32Array;
  try {
    data = await preprocessors.prepare(items, metadata.preprocessing, { inModel: metadata.inModel });
  } catch (error) {
    if (!(error instanceof AeError)) throw error;
    // No reader of the kind registered or installed: the server's set-up, not the request.
    if (error.code === 'preprocessing' || error.code === 'missing-package') throw new HttpError(500, error.message);
    throw new InvalidInputError(error.message);
  }
  const size = itemShape.reduce((a, b) => a * b, 1);
  if (data.length !== items.length * size) {
    throw new HttpError(500, `the ${metadata.preprocessing.kind} preprocessing gave ${data.length / items.length} values per item; model '${model.name}' takes ${size}`);
  }
  return { data, count: items.length };
}
