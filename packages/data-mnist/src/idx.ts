import { readFile } from 'node:fs/promises';
import { DataFileError } from '@aekit/core';

/** The contents of an idx file of unsigned bytes: its dimensions and data. */
export interface IdxArray {
  /** Sizes of each dimension, e.g. `[60000, 28, 28]`. */
  dims: number[];
  /** The values, row-major, as bytes (no copy of the file's buffer). */
  data: Uint8Array;
}

/** Data type code of unsigned bytes in the idx format, the only one MNIST uses. */
const UNSIGNED_BYTE = 0x08;

/**
 * Parses an idx file (the format of MNIST, Fashion-MNIST and EMNIST):
 * a 4-byte magic number (two zero bytes, a type code and the number of
 * dimensions), one big-endian 32-bit size per dimension, then the data.
 *
 * @param bytes - The file's contents.
 * @param file - The file's name, for error messages.
 * @param expectedRank - Number of dimensions required (3 for images, 1 for labels).
 * @throws DataFileError naming the file for a wrong magic number, type,
 *   rank, or a length that does not match the header.
 */
export function parseIdx(bytes: Uint8Array, file: string, expectedRank?: number): IdxArray {
  if (bytes.length < 4) throw new DataFileError(file, `is ${bytes.length} bytes long, too short for an idx header`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0);
  const type = bytes[2];
  const rank = bytes[3];
  if (bytes[0] !== 0 || bytes[1] !== 0 || type !== UNSIGNED_BYTE || rank === 0) {
    throw new DataFileError(
      file,
      `bad magic number 0x${magic.toString(16).padStart(8, '0')}; expected 0x0000080N (unsigned bytes, N dimensions): not an idx file, or compressed`,
    );
  }
  if (expectedRank !== undefined && rank !== expectedRank) {
    throw new DataFileError(file, `has ${rank} dimensions, expected ${expectedRank}`);
  }
  const headerBytes = 4 + 4 * rank;
  if (bytes.length < headerBytes) throw new DataFileError(file, `is truncated inside its header (${bytes.length} bytes)`);
  const dims = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i));
  if (dims.some((d) => d === 0)) throw new DataFileError(file, `has an empty dimension: [${dims}]`);
  const expected = headerBytes + dims.reduce((a, b) => a * b, 1);
  if (bytes.length !== expected) {
    const what = bytes.length < expected ? 'truncated' : 'longer than its header says';
    throw new DataFileError(file, `is ${what}: ${bytes.length} bytes, the header [${dims}] needs ${expected}`);
  }
  return { dims, data: bytes.subarray(headerBytes) };
}

/**
 * Reads and parses an idx file from disk; see {@link parseIdx}.
 *
 * @param file - Path of the file.
 * @param expectedRank - Number of dimensions required.
 * @throws DataFileError naming the file when it is missing or malformed.
 */
export async function readIdxFile(file: string, expectedRank?: number): Promise<IdxArray> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new DataFileError(file, code === 'ENOENT' ? 'no such file' : `cannot be read (${code ?? (error as Error).message})`);
  }
  return parseIdx(bytes, file, expectedRank);
}
