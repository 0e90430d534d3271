import { tf } from '../tf.js';
import { backendHasKernel } from './backend-has-kernel.js';

/**
 * Rows of bytes gathered by index into one float32 tensor, each byte as
 * `byte / 255` (images kept as bytes, read as a batch in [0, 1]). No tensor
 * inputs, as tfjs' `Fill` has none: the attributes ({@link UnitFloatsFromBytesAttrs})
 * carry the bytes and the rows; one float32 output of `attrs.shape`.
 */
export const UNIT_FLOATS_FROM_BYTES = 'AekitUnitFloatsFromBytes';

/** The attributes of {@link UNIT_FLOATS_FROM_BYTES}. */
export interface UnitFloatsFromBytesAttrs {
  /** Every row back to back, `rowLength` bytes a row (a JavaScript array, not a tensor). */
  bytes: Uint8Array;
  /** The rows to gather, in order: row `r` is `bytes[r * rowLength, (r + 1) * rowLength)`. */
  rows: Int32Array;
  /** Bytes a row, one float each in the output. */
  rowLength: number;
  /** The output's shape; its size is `rows.length * rowLength`. */
  shape: number[];
}

/**
 * `byte / 255` as JavaScript computes it (a double quotient) rounded to
 * float32, by byte value: what every implementation of
 * {@link UNIT_FLOATS_FROM_BYTES} must give, bit for bit. (The float32
 * quotient `byte / 255.0f` is the same: the double quotient of two floats
 * rounded to float32 is the correctly rounded float32 quotient.)
 */
export const UNIT_FLOAT_OF_BYTE: Float32Array = Float32Array.from({ length: 256 }, (_, byte) => byte / 255);

/**
 * Checks the attributes of {@link UNIT_FLOATS_FROM_BYTES}, as every kernel
 * must before it reads a byte.
 *
 * @param attrs - The attributes a kernel was given.
 * @throws RangeError naming the first row index outside the bytes, or a
 *   row length or shape that does not fit the rows.
 * @example
 * ```ts
 * import { checkUnitFloatsFromBytes } from '@aekit/core/kernels';
 *
 * const bytes = new Uint8Array(8); // two rows of 4
 * checkUnitFloatsFromBytes({ bytes, rows: Int32Array.of(1, 2), rowLength: 4, shape: [2, 4] });
 * // RangeError: row index 2 is outside 0..1 (rows of 4 bytes in 8)
 * ```
 */
export function checkUnitFloatsFromBytes({ bytes, rows, rowLength, shape }: UnitFloatsFromBytesAttrs): void {
  if (!Number.isInteger(rowLength) || rowLength < 0) throw new RangeError(`row length must be a non-negative integer, got ${rowLength}`);
  const size = shape.reduce((a, b) => a * b, 1);
  if (size !== rows.length * rowLength) throw new RangeError(`shape [${shape}] does not hold ${rows.length} rows of ${rowLength}`);
  const stored = rowLength === 0 ? Infinity : Math.floor(bytes.length / rowLength);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    if (row < 0 || row >= stored) throw new RangeError(`row index ${row} is outside 0..${stored - 1} (rows of ${rowLength} bytes in ${bytes.length})`);
  }
}

/**
 * The floats of {@link UNIT_FLOATS_FROM_BYTES} in JavaScript, into `out`
 * from element `offset`: where the backend has no kernel for it, and the
 * wasm kernel's loop on its heap. Checks the attributes first.
 *
 * @param attrs - The bytes, rows and row length (the shape is checked against them).
 * @param out - Where the floats go: `rows.length * rowLength` of them from `offset`.
 * @param offset - Element of `out` where the first row goes; 0 by default.
 * @returns `out`.
 * @throws RangeError naming a row index outside the bytes, or when the rows do not fit `out`.
 * @example
 * ```ts
 * import { unitFloatsInto } from '@aekit/core/kernels';
 *
 * const bytes = Uint8Array.of(0, 255, 51, 102);
 * unitFloatsInto({ bytes, rows: Int32Array.of(1), rowLength: 2, shape: [1, 2] }, new Float32Array(2)); // [0.2, 0.4]
 * ```
 */
export function unitFloatsInto(attrs: UnitFloatsFromBytesAttrs, out: Float32Array, offset = 0): Float32Array {
  checkUnitFloatsFromBytes(attrs);
  const { bytes, rows, rowLength } = attrs;
  if (offset < 0 || offset + rows.length * rowLength > out.length) throw new RangeError(`${rows.length} rows of ${rowLength} do not fit ${out.length} floats from ${offset}`);
  const table = UNIT_FLOAT_OF_BYTE;
  for (let i = 0; i < rows.length; i++) {
    const from = rows[i]! * rowLength;
    const to = offset + i * rowLength;
    for (let p = 0; p < rowLength; p++) out[to + p] = table[bytes[from + p]!]!;
  }
  return out;
}

/**
 * Rows of `bytes` gathered by index as one float32 tensor of `shape`, each
 * byte as `byte / 255`: a training batch of images kept as bytes. One kernel
 * where the backend registers {@link UNIT_FLOATS_FROM_BYTES} (wasm with
 * `@aekit/kernels-wasm`, natively with `@aekit/kernels-native`), writing
 * straight into the backend's memory; elsewhere (cpu, webgl) a JavaScript
 * loop and `tf.tensor`. The same floats, bit for bit, on every backend.
 *
 * @param bytes - Every row back to back, `rowLength` bytes a row.
 * @param rows - The rows to gather, in order (row indices, not byte offsets).
 * @param rowLength - Bytes a row.
 * @param shape - The result's shape; `[rows.length, rowLength]` by default.
 * @throws RangeError naming a row index outside `bytes`.
 * @example
 * ```ts
 * import { unitFloatsFromBytes } from '@aekit/core';
 *
 * const pixels = new Uint8Array([0, 255, 51, 102]); // two images of 2 pixels
 * unitFloatsFromBytes(pixels, Int32Array.of(1, 0), 2).arraySync(); // [[0.2, 0.4], [0, 1]]
 * ```
 */
export function unitFloatsFromBytes(bytes: Uint8Array, rows: Int32Array, rowLength: number, shape: readonly number[] = [rows.length, rowLength]): tf.Tensor {
  const attrs: UnitFloatsFromBytesAttrs = { bytes, rows, rowLength, shape: [...shape] };
  checkUnitFloatsFromBytes(attrs);
  if (rows.length > 0 && rowLength > 0 && backendHasKernel(UNIT_FLOATS_FROM_BYTES)) {
    return tf.engine().runKernel(UNIT_FLOATS_FROM_BYTES, {}, attrs as unknown as tf.NamedAttrMap) as tf.Tensor;
  }
  return tf.tensor(unitFloatsInto(attrs, new Float32Array(rows.length * rowLength)), attrs.shape, 'float32');
}
