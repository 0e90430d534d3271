// Runs in the main thread and in the codec thread: imports nothing.

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
