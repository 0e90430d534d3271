import { writeFileAtomic } from '@aekit/core/node';
import { OnnxModelFile } from './runtime/onnx-model.js';

/**
 * Writes a signed `.onnx` file (atomically) and reads it back to check its
 * checksum, so that a file `ae export` reports as written is one `ae serve`
 * and `ae infer` will accept: a write the disk damaged fails here, naming
 * the file, rather than at serving time.
 *
 * @param path - Where the file goes.
 * @param bytes - The model's bytes, signed (see `signModelBytes`).
 * @throws DataFileError naming the file when what was written does not read back with a matching checksum.
 */
export async function writeModelFile(path: string, bytes: Uint8Array): Promise<void> {
  await writeFileAtomic(path, bytes);
  await OnnxModelFile.read(path, { requireChecksum: true });
}
