// Runs in the main thread and in the codec thread: imports nothing but export-onnx's items.
import { InvalidInputError } from '@aekit/export-onnx/items';

/**
 * The deepest nesting of arrays and objects a request may have: a tensor
 * of rank 8 inside the protocol's envelope needs about a dozen levels.
 * Deeper JSON is refused before it is parsed: parsing `[[[[…` 100,000
 * levels deep takes V8 most of a second for a 200 KB body.
 */
export const MAX_JSON_DEPTH = 32;

/**
 * Refuses JSON nested deeper than {@link MAX_JSON_DEPTH}, in one pass over
 * the bytes (strings skipped), before `JSON.parse` spends time on it.
 *
 * @param bytes - The JSON text, UTF-8.
 * @param where - What the text is, for the message, e.g. `body`.
 * @throws InvalidInputError naming the byte where the limit is passed.
 */
export function checkJsonDepth(bytes: Uint8Array, where = 'body'): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i];
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > MAX_JSON_DEPTH) throw new InvalidInputError(`${where}: JSON nested more than ${MAX_JSON_DEPTH} levels deep (at byte ${i}); tensors need a few levels`);
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
}

/**
 * The most bytes one number takes in a JSON answer, with its comma:
 * JavaScript writes a float32 or float64 value in at most 24 characters
 * (`-2.2250738585072014e-308`). The size of an answer is bounded with it
 * before any work is done.
 */
export const JSON_BYTES_PER_VALUE = 25;

/** Values to put into a JSON answer at `path`: flat, or as `rows` arrays of equal length. */
export interface JsonTensor {
  /** Where the array goes in the answer, e.g. `['outputs', 0, 'data']`. */
  path: readonly (string | number)[];
  /** The values, row-major. */
  values: Float32Array | Float64Array;
  /** Split into this many rows (one per item); flat when absent. */
  rows?: number;
}

/**
 * Encodes a JSON answer: `fields` with each tensor's values written in at
 * its path. Values must be finite (checked before; JSON has no NaN).
 *
 * @param fields - The answer without the tensors' values.
 * @param tensors - The values to write in, and where.
 */
export function encodeJson(fields: Record<string, unknown>, tensors: readonly JsonTensor[]): Buffer {
  const answer = structuredClone(fields);
  for (const { path, values, rows } of tensors) {
    let parent = answer as Record<string | number, unknown>;
    for (const key of path.slice(0, -1)) parent = (parent[key] ??= {}) as Record<string | number, unknown>;
    parent[path[path.length - 1]] = rows === undefined ? Array.from(values) : toRows(values, rows);
  }
  return Buffer.from(JSON.stringify(answer), 'utf8');
}

/**
 * Splits a flat array into `count` rows of plain numbers.
 *
 * @param values - `count` rows, one after another.
 * @param count - Number of rows.
 */
export function toRows(values: Float32Array | Float64Array, count: number): number[][] {
  const size = values.length / count;
  return Array.from({ length: count }, (_, i) => Array.from(values.subarray(i * size, (i + 1) * size)));
}
