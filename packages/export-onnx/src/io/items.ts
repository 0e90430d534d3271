// This module imports nothing, so that @aekit/serve's worker threads can
// check request bodies with it without loading TensorFlow.js (which
// @aekit/core's entry does).

/** The mark `AeError` (of @aekit/core) recognises its errors by, across copies of that package. */
const AE_ERROR = Symbol.for('aekit.AeError');

/** The largest float32 value; larger numbers become Infinity in a float32 tensor. */
export const FLOAT32_MAX = 3.4028234663852886e38;

/**
 * A request or input file holds values of the wrong shape or type; the
 * message says where. `error instanceof AeError` holds (it carries
 * AeError's mark and `code`), so `ae` prints it as one line.
 *
 * @example
 * ```ts
 * import { flattenItems, InvalidInputError } from '@aekit/export-onnx/items';
 *
 * try {
 *   flattenItems([[1, 'a', 3, 4]], [4]);
 * } catch (error) {
 *   if (error instanceof InvalidInputError) console.log(error.code, error.message); // 'invalid-input' 'inputs[0][1]: expected a finite number, got the string "a"'
 * }
 * ```
 */
export class InvalidInputError extends Error {
  /** AeError's machine-readable code: `invalid-input`. */
  readonly code = 'invalid-input';

  /** @param message - What is wrong and where, e.g. `inputs[2][0]: expected a number, got "a"`. */
  constructor(message: string) {
    super(message);
    this.name = 'InvalidInputError';
    Object.defineProperty(this, AE_ERROR, { value: true });
  }
}

/** A batch of items as one flat row-major array. */
export interface FlatBatch {
  /** `count · size(itemShape)` values. */
  data: Float32Array;
  /** Number of items. */
  count: number;
}

/** Options of {@link flattenItems}. */
export interface FlattenOptions {
  /** Most items accepted. */
  maxBatch?: number;
  /** Name of the list in messages, e.g. `inputs`. */
  field?: string;
}

/**
 * Checks and flattens a JSON batch: a non-empty array of items, each either
 * a flat array of `size(itemShape)` numbers or a nested array of exactly
 * `itemShape`. Every value must be a finite number.
 *
 * @example
 * ```ts
 * import { flattenItems } from '@aekit/export-onnx/items';
 *
 * flattenItems([[1, 2, 3, 4], [[5, 6], [7, 8]]], [2, 2]); // { data: Float32Array [1, 2, 3, 4, 5, 6, 7, 8], count: 2 }
 * flattenItems([[1, 2, 3]], [2, 2]); // throws InvalidInputError: inputs[0]: expected 4 numbers or an array of shape [2,2], got an array of 3
 * ```
 * @throws InvalidInputError naming the first offending position.
 * @param items - The parsed JSON value to check.
 * @param itemShape - Shape of one item the model takes.
 * @param options - The largest batch, and the field name used in error messages.
 */
export function flattenItems(items: unknown, itemShape: readonly number[], options: FlattenOptions = {}): FlatBatch {
  const field = options.field ?? 'inputs';
  if (!Array.isArray(items)) throw new InvalidInputError(`${field}: expected an array of items, got ${describeValue(items)}`);
  if (items.length === 0) throw new InvalidInputError(`${field}: expected at least one item, got an empty array`);
  if (options.maxBatch !== undefined && items.length > options.maxBatch) {
    throw new InvalidInputError(`${field}: a batch of ${items.length} items is more than the limit of ${options.maxBatch}`);
  }
  const size = itemShape.reduce((a, b) => a * b, 1);
  const data = new Float32Array(items.length * size);
  items.forEach((item, i) => {
    const path = `${field}[${i}]`;
    if (!Array.isArray(item)) throw new InvalidInputError(`${path}: expected an array of ${size} numbers, got ${describeValue(item)}`);
    const offset = i * size;
    if (item.length === size && (itemShape.length === 1 || !Array.isArray(item[0]))) {
      writeFiniteNumbers(item, data, offset, path);
    } else if (itemShape.length > 1 && item.length === itemShape[0]) {
      writeNested(item, itemShape, 0, data, offset, path);
    } else {
      throw new InvalidInputError(`${path}: expected ${size} numbers or an array of shape [${itemShape}], got an array of ${item.length}`);
    }
  });
  return { data, count: items.length };
}

/**
 * Reads a binary batch: little-endian float32 values, a whole number of
 * items of `size` values each.
 *
 * @example
 * ```ts
 * import { float32Bytes, parseFloat32Batch } from '@aekit/export-onnx/items';
 *
 * const body = float32Bytes(new Float32Array([0.5, -1, 2, 3]));
 * parseFloat32Batch(body, 2); // { data: Float32Array [0.5, -1, 2, 3], count: 2 }
 * parseFloat32Batch(body.subarray(0, 6), 2); // throws InvalidInputError: body: 6 bytes is not a whole number of items ...
 * ```
 * @throws InvalidInputError for an empty body, a length that is not a whole
 *   number of items, too many items, or a NaN or infinite value.
 * @param bytes - The request body.
 * @param size - Number of values in one item.
 * @param maxBatch - Most items accepted, if limited.
 */
export function parseFloat32Batch(bytes: Uint8Array, size: number, maxBatch?: number): FlatBatch {
  const itemBytes = size * 4;
  if (bytes.length === 0) throw new InvalidInputError('body: expected float32 values, got an empty body');
  if (bytes.length % itemBytes !== 0) {
    throw new InvalidInputError(`body: ${bytes.length} bytes is not a whole number of items of ${size} float32 values (${itemBytes} bytes each)`);
  }
  const count = bytes.length / itemBytes;
  if (maxBatch !== undefined && count > maxBatch) throw new InvalidInputError(`body: a batch of ${count} items is more than the limit of ${maxBatch}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const data = new Float32Array(count * size);
  for (let i = 0; i < data.length; i++) {
    const value = view.getFloat32(i * 4, true);
    if (!Number.isFinite(value)) throw new InvalidInputError(`body: value ${i} (item ${Math.floor(i / size)}) is ${value}, expected a finite number`);
    data[i] = value;
  }
  return { data, count };
}

/**
 * Float32 values as little-endian bytes, the binary response format.
 *
 * @example
 * ```ts
 * import { float32Bytes } from '@aekit/export-onnx/items';
 *
 * float32Bytes(new Float32Array([0.5, -1])); // <Buffer 00 00 00 3f 00 00 80 bf>, 4 little-endian bytes a value
 * ```
 * @param values - The values to encode.
 */
export function float32Bytes(values: Float32Array): Buffer {
  const bytes = Buffer.alloc(values.length * 4);
  for (let i = 0; i < values.length; i++) bytes.writeFloatLE(values[i], i * 4);
  return bytes;
}

/**
 * Splits a flat array into `count` rows of plain numbers (for JSON).
 *
 * @example
 * ```ts
 * import { toRows } from '@aekit/export-onnx/items';
 *
 * toRows(new Float32Array([1, 2, 3, 4, 5, 6]), 2); // [[1, 2, 3], [4, 5, 6]]
 * ```
 * @param values - `count` rows, one after another.
 * @param count - Number of rows.
 */
export function toRows(values: Float32Array, count: number): number[][] {
  const size = values.length / count;
  return Array.from({ length: count }, (_, i) => Array.from(values.subarray(i * size, (i + 1) * size)));
}

function writeNested(value: unknown[], shape: readonly number[], axis: number, out: Float32Array, offset: number, path: string): number {
  if (value.length !== shape[axis]) {
    throw new InvalidInputError(`${path}: expected ${shape[axis]} entries (shape [${shape.slice(axis)}]), got ${value.length}`);
  }
  if (axis === shape.length - 1) return writeFiniteNumbers(value, out, offset, path);
  for (let i = 0; i < value.length; i++) {
    const child = value[i];
    const childPath = `${path}[${i}]`;
    if (!Array.isArray(child)) throw new InvalidInputError(`${childPath}: expected an array of shape [${shape.slice(axis + 1)}], got ${describeValue(child)}`);
    offset = writeNested(child, shape, axis + 1, out, offset, childPath);
  }
  return offset;
}

/**
 * Writes JSON values into `out` from `offset`, each a finite number within
 * float32's range (a larger one would become Infinity in the tensor).
 *
 * @example
 * ```ts
 * import { writeFiniteNumbers } from '@aekit/export-onnx/items';
 *
 * const out = new Float32Array(4);
 * writeFiniteNumbers([1, 2], out, 2, 'inputs[0]'); // 4; out is now [0, 0, 1, 2]
 * writeFiniteNumbers([1, 1e39], out, 0, 'inputs[3]'); // throws InvalidInputError: inputs[3][1]: 1e+39 is beyond float32's range (±3.4028235e+38)
 * ```
 * @param values - The parsed JSON values; each must be a finite number of float32's range.
 * @param out - Receives the values; room for `values.length` of them from `offset`.
 * @param offset - Index in `out` of the first value.
 * @param path - Where `values` is in the request or file, e.g. `inputs[2]`, for error messages.
 * @returns The offset after the last value written.
 * @throws InvalidInputError naming `path[i]` for the first value that is not a finite number, or is beyond float32's range.
 */
export function writeFiniteNumbers(values: readonly unknown[], out: Float32Array, offset: number, path: string): number {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    // JSON.parse turns 1e999 into Infinity, so finiteness is checked too.
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new InvalidInputError(`${path}[${i}]: expected a finite number, got ${describeValue(v)}`);
    out[offset + i] = v;
    // 1e39 is finite but becomes Infinity as float32; rounding decides where, so the stored value is checked.
    if (!Number.isFinite(out[offset + i])) throw new InvalidInputError(`${path}[${i}]: ${v} is beyond float32's range (±${FLOAT32_MAX.toPrecision(8)})`);
  }
  return offset + values.length;
}

/**
 * A short description of a JSON value for error messages: `null`, `an array of 3`, `the string "a"`, `7`.
 *
 * @example
 * ```ts
 * import { describeValue } from '@aekit/export-onnx/items';
 *
 * describeValue([1, 2, 3]); // 'an array of 3'
 * describeValue('a'); // 'the string "a"'
 * describeValue(null); // 'null'
 * ```
 * @param value - Any parsed JSON value (or undefined, for one that is missing).
 */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 20 ? `${value.slice(0, 20)}…` : value)}`;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return `a ${typeof value}`;
}
