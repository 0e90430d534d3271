import { JSON_BYTES_PER_VALUE } from './codec/json.js';
import { NonFiniteOutputError, ResponseTooLargeError } from './errors.js';

/** Bytes of an answer besides its tensors' values: names, shapes, brackets. */
const ANSWER_OVERHEAD_BYTES = 4096;

/** One tensor of an answer, as far as its size goes. */
export interface AnswerTensor {
  /** Values in the answer (all items). */
  values: number;
  /** 4 for float32, 8 for float64, when sent as binary. */
  bytesPerValue: 4 | 8;
  /** Sent as raw bytes rather than JSON numbers. */
  binary: boolean;
  /** Rows (items) it is split into in JSON, each adding its brackets. */
  rows?: number;
}

/**
 * Checks the most bytes an answer can take against the server's limit,
 * from the shapes alone: before the request waits for the model, and
 * before any encoding. JSON numbers are counted at their longest
 * (`JSON_BYTES_PER_VALUE`), binary values at their size.
 *
 * @param tensors - The answer's tensors.
 * @param limit - `--max-response-bytes`.
 * @throws ResponseTooLargeError (413) naming the bound and the limit.
 */
export function checkAnswerSize(tensors: readonly AnswerTensor[], limit: number): void {
  let bytes = ANSWER_OVERHEAD_BYTES;
  let values = 0;
  for (const t of tensors) {
    bytes += t.binary ? t.values * t.bytesPerValue : t.values * JSON_BYTES_PER_VALUE + 2 * (t.rows ?? 0);
    values += t.values;
  }
  if (bytes > limit) {
    const how = tensors.every((t) => t.binary) ? 'as binary data' : `with JSON numbers counted at ${JSON_BYTES_PER_VALUE} bytes`;
    throw new ResponseTooLargeError(bytes, limit, `${values.toLocaleString('en-US')} values ${how}`);
  }
}

/**
 * Values in one item of a tensor whose shape starts with the batch, or
 * undefined when a later dimension varies (the size is then known only
 * after the model has run).
 *
 * @param shape - The tensor's shape, batch first; `null` or -1 where a dimension varies.
 */
export function valuesPerItem(shape: readonly (number | null)[]): number | undefined {
  let size = 1;
  for (const d of shape.slice(1)) {
    if (d === null || d < 0) return undefined;
    size *= d;
  }
  return size;
}

/**
 * Checks that every value of an output is finite: JSON has no NaN or
 * infinity (they would become `null`), and such a value means the input
 * was outside what the model computes.
 *
 * @param name - The output's name, for the message.
 * @param values - Its values, `count` items row-major.
 * @param count - Number of items.
 * @throws NonFiniteOutputError (422) naming the output, the item and the value.
 */
export function checkFinite(name: string, values: Float32Array | Float64Array, count: number): void {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) throw new NonFiniteOutputError(name, Math.floor(i / (values.length / count)), values[i]);
  }
}
