import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { tf } from '../tf.js';
import { DataFileError } from '../errors.js';
import { writeFileAtomic } from './atomic-write.js';
import { readFileInside } from './inside-folder.js';

/** A weights file on disk: its name, checksum, and the tfjs specs of the tensors it holds. */
export interface WeightsFileEntry {
  file: string;
  sha256: string;
  specs: tf.io.WeightsManifestEntry[];
}

/**
 * Writes tensors as one binary file in the tfjs weights format, named by a
 * hash of its contents (`<prefix>-<hash>.bin`), atomically. Because the
 * name changes with the contents, a file that a manifest already refers to
 * is never overwritten.
 *
 * @example
 * ```ts
 * import { tf } from '@aekit/core';
 * import { writeWeightsFile } from '@aekit/core/node';
 *
 * const entry = await writeWeightsFile('runs/mine/model', 'weights', [
 *   { name: 'dense/kernel', tensor: tf.ones([4, 2]) },
 *   { name: 'dense/bias', tensor: tf.zeros([2]) },
 * ]);
 * entry.file; // 'weights-264b0b34110a0107.bin': named by its SHA-256, entry.sha256
 * ```
 * @param dir - Directory to write into.
 * @param prefix - File name prefix, e.g. `weights`.
 * @param tensors - Named tensors, in the order they will be read back.
 */
export async function writeWeightsFile(dir: string, prefix: string, tensors: { name: string; tensor: tf.Tensor }[]): Promise<WeightsFileEntry> {
  const { data, specs } = await tf.io.encodeWeights(tensors);
  const bytes = new Uint8Array(tf.io.CompositeArrayBuffer.join(data));
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const file = `${prefix}-${sha256.slice(0, 16)}.bin`;
  await writeFileAtomic(join(dir, file), bytes);
  return { file, sha256, specs };
}

/**
 * Reads a weights file and checks it against what the manifest says before
 * trusting a byte: the path must stay inside `dir` and be a regular file of
 * exactly the size the specs describe (so `../../dev/zero` or a FIFO is
 * refused, never read), and its checksum must match. Then decodes the
 * tensors in spec order.
 *
 * @example
 * ```ts
 * import { readWeightsFile, type WeightsFileEntry } from '@aekit/core/node';
 *
 * declare const entry: WeightsFileEntry; // from writeWeightsFile, or a manifest's paths and specs
 * const [kernel, bias] = await readWeightsFile('runs/mine/model', entry, 'runs/mine/model/model.json'); // shapes [4, 2] and [2]
 * ```
 * @param dir - Directory of the file, which its path must stay in.
 * @param entry - What the manifest says about the file (its specs already checked).
 * @param manifestFile - The file that refers to it, for error messages.
 * @throws DataFileError naming the manifest and the path when it escapes, is missing, truncated or corrupt.
 */
export async function readWeightsFile(dir: string, entry: WeightsFileEntry, manifestFile: string): Promise<tf.Tensor[]> {
  const expected = entry.specs.reduce((n, s) => n + s.shape.reduce((a, b) => a * b, 1) * bytesPerValue(s.dtype), 0);
  if (!Number.isSafeInteger(expected)) {
    throw new DataFileError(manifestFile, `describes weights of ${expected.toPrecision(3)} bytes, more than any file holds (corrupt shapes?)`);
  }
  const names = entry.specs.map((s) => s.name);
  if (new Set(names).size !== names.length) throw new DataFileError(manifestFile, 'names a weight twice in its manifest (corrupt)');
  const bytes = await readFileInside(dir, entry.file, { namedIn: manifestFile, bytes: expected });
  if (createHash('sha256').update(bytes).digest('hex') !== entry.sha256) {
    throw new DataFileError(join(dir, entry.file), `does not match the checksum recorded in ${manifestFile} (corrupt)`);
  }
  const named = tf.io.decodeWeights(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length) as ArrayBuffer, entry.specs);
  return entry.specs.map((s) => named[s.name]);
}

function bytesPerValue(dtype: string): number {
  return dtype === 'bool' ? 1 : 4;
}

/**
 * Sets a model's weights from tensors in `model.weights` order, checking
 * count and shapes so that a mismatched file is reported, not misapplied.
 *
 * @throws DataFileError naming `file` on a mismatch.
 */
export function assignWeights(model: tf.LayersModel, values: tf.Tensor[], names: string[], file: string, what: string): void {
  const targets = model.weights;
  if (values.length !== targets.length) {
    throw new DataFileError(file, `holds ${values.length} weights, the ${what} has ${targets.length}`);
  }
  values.forEach((v, i) => {
    if (!tf.util.arraysEqual(v.shape, targets[i].shape as number[])) {
      throw new DataFileError(file, `weight ${names[i]} has shape [${v.shape}], the ${what} expects [${targets[i].shape}]`);
    }
    if (v.dtype !== targets[i].dtype) throw new DataFileError(file, `weight ${names[i]} is ${v.dtype}, the ${what} expects ${targets[i].dtype}`);
  });
  model.setWeights(values);
}
