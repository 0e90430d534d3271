import { createHash } from 'node:crypto';

/**
 * The `metadata_props` key of the checksum aekit writes into every `.onnx`
 * file it produces: the SHA-256 of the file's bytes before the entry.
 */
export const CHECKSUM_KEY = 'aekit.sha256';

// The entry is appended to the encoded model as one more `metadata_props`
// field (ModelProto field 14), so it is ordinary ONNX metadata to every
// reader, and the bytes it covers are exactly the bytes before it: no
// re-encoding, so nothing a protobuf library normalises can hide a change.
// Layout: tag 14/length-delimited, length 80, then a StringStringEntryProto
// of key (field 1, 12 bytes) and value (field 2, 64 hex digits).
const HEX_LENGTH = 64;
const ENTRY_HEAD = Buffer.concat([
  Buffer.from([(14 << 3) | 2, 2 + CHECKSUM_KEY.length + 2 + HEX_LENGTH, (1 << 3) | 2, CHECKSUM_KEY.length]),
  Buffer.from(CHECKSUM_KEY, 'ascii'),
  Buffer.from([(2 << 3) | 2, HEX_LENGTH]),
]);
const ENTRY_LENGTH = ENTRY_HEAD.length + HEX_LENGTH;
/** Bytes of the entry's fixed head that may differ in a file still taken as signed (and damaged). */
const DAMAGE_TOLERATED = 4;

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Signs the bytes of an encoded ONNX model: appends the
 * {@link CHECKSUM_KEY} metadata entry holding the SHA-256 of `bytes`.
 * `ae export` (every part, and every model of a Triton repository) signs
 * what it writes, and `ae serve` and `ae infer` check it with
 * {@link verifyModelBytes}.
 *
 * @example
 * ```ts
 * import { writeFile } from 'node:fs/promises';
 * import type { Autoencoder } from '@aekit/core';
 * import { autoencoderToOnnxModel, encodeModel, signModelBytes } from '@aekit/export-onnx';
 *
 * declare const autoencoder: Autoencoder;
 * const unsigned = encodeModel(autoencoderToOnnxModel(autoencoder, { part: 'full' }));
 * await writeFile('mnist.onnx', signModelBytes(unsigned)); // `ae infer` and `ae serve` accept it without --allow-unsigned
 * ```
 * @param bytes - An encoded `ModelProto` without a checksum entry.
 * @returns The signed file's bytes.
 */
export function signModelBytes(bytes: Uint8Array): Uint8Array {
  const signed = new Uint8Array(bytes.length + ENTRY_LENGTH);
  signed.set(bytes);
  signed.set(ENTRY_HEAD, bytes.length);
  signed.set(Buffer.from(sha256(bytes), 'ascii'), bytes.length + ENTRY_HEAD.length);
  return signed;
}

/** What {@link verifyModelBytes} found. */
export type ChecksumStatus =
  /** The file ends with aekit's checksum entry and its bytes match it. */
  | { status: 'verified'; sha256: string }
  /** The file ends with aekit's checksum entry, but its bytes do not match it: changed or damaged since it was written. */
  | { status: 'mismatch'; expected: string; actual: string }
  /** The file does not end with aekit's checksum entry: written by another tool, re-saved by one, or by an older aekit. */
  | { status: 'unsigned' };

/**
 * Checks the checksum entry {@link signModelBytes} appended.
 *
 * @example
 * ```ts
 * import { readFile } from 'node:fs/promises';
 * import { verifyModelBytes } from '@aekit/export-onnx';
 *
 * const check = verifyModelBytes(await readFile('mnist.onnx'));
 * console.log(check.status); // 'verified' for a file `ae export` wrote; 'unsigned' or 'mismatch' otherwise
 * ```
 * @param bytes - The bytes of an `.onnx` file.
 */
export function verifyModelBytes(bytes: Uint8Array): ChecksumStatus {
  const start = bytes.length - ENTRY_LENGTH;
  if (start < 0) return { status: 'unsigned' };
  const trailer = Buffer.from(bytes.buffer, bytes.byteOffset + start, ENTRY_LENGTH);
  let differing = 0;
  for (let i = 0; i < ENTRY_HEAD.length; i++) if (trailer[i] !== ENTRY_HEAD[i]) differing++;
  // A few damaged bytes in the entry itself still mark a signed file, so
  // damage there is a mismatch, not a reason to treat the file as foreign.
  if (differing > DAMAGE_TOLERATED) return { status: 'unsigned' };
  const expected = trailer.subarray(ENTRY_HEAD.length).toString('latin1');
  const actual = sha256(bytes.subarray(0, start));
  return differing === 0 && actual === expected ? { status: 'verified', sha256: actual } : { status: 'mismatch', expected, actual };
}
