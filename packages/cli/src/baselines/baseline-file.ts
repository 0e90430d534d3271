import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DataFileError, Pca } from '@aekit/core';
import { writeFileAtomic } from '@aekit/core/node';

/** The file in a run directory that keeps the run's baselines (the training mean and PCA), for `ae score`. */
export const BASELINE_FILE = 'baselines.json';

/** What {@link BASELINE_FILE} holds: the fitted baselines, their arrays as base64 float32 (little-endian). */
interface BaselineFile {
  features: number;
  components: number;
  range: [number, number];
  mean: string;
  directions: string;
  variances: number[];
}

/**
 * Writes the fitted baselines of a run to its directory, so that `ae score`
 * can score items by their distance to the training mean and their PCA
 * error without reading the training data again.
 *
 * @param runDir - The run directory.
 * @param pca - The mean and PCA fitted to the run's training examples.
 * @returns The path written.
 */
export async function writeBaselineFile(runDir: string, pca: Pca): Promise<string> {
  const file: BaselineFile = {
    features: pca.features,
    components: pca.size,
    range: [pca.range[0], pca.range[1]],
    mean: base64(pca.mean),
    directions: base64(pca.components),
    variances: Array.from(pca.variances),
  };
  const path = join(runDir, BASELINE_FILE);
  await writeFileAtomic(path, JSON.stringify(file) + '\n');
  return path;
}

/**
 * Reads the baselines of a run, or undefined when the run has none (runs
 * trained before aekit kept them, sequence runs).
 *
 * @param runDir - The run directory.
 */
export async function readBaselineFile(runDir: string): Promise<Pca | undefined> {
  let text: string;
  try {
    text = await readFile(join(runDir, BASELINE_FILE), 'utf8');
  } catch {
    return undefined;
  }
  const path = join(runDir, BASELINE_FILE);
  // A damaged file is named in one line, never read as other baselines.
  const damaged = (why: string) => new DataFileError(path, `is damaged: ${why}; delete it to go on without the run's baselines`);
  let file: BaselineFile;
  try {
    file = JSON.parse(text) as BaselineFile;
  } catch {
    throw damaged('not valid JSON');
  }
  if (typeof file !== 'object' || file === null || !Number.isInteger(file.features) || !Number.isInteger(file.components) || file.features < 1 || file.components < 0) {
    throw damaged('features and components must be counts');
  }
  if (typeof file.mean !== 'string' || typeof file.directions !== 'string' || !Array.isArray(file.variances) || !Array.isArray(file.range) || file.range.length !== 2) {
    throw damaged('mean, directions, variances or range is missing');
  }
  const mean = floats(file.mean);
  const directions = floats(file.directions);
  if (mean.length !== file.features || directions.length !== file.features * file.components || file.variances.length !== file.components) {
    throw damaged(`its arrays do not have the sizes of ${file.features} features and ${file.components} components`);
  }
  if (![mean, directions, file.variances, file.range].every(allFinite)) throw damaged('it holds a value that is not a finite number');
  return new Pca(mean, directions, Float64Array.from(file.variances), [file.range[0], file.range[1]]);
}

function allFinite(values: ArrayLike<unknown>): boolean {
  for (let i = 0; i < values.length; i++) if (typeof values[i] !== 'number' || !Number.isFinite(values[i])) return false;
  return true;
}

function base64(values: Float32Array): string {
  return Buffer.from(values.buffer, values.byteOffset, values.byteLength).toString('base64');
}

function floats(text: string): Float32Array {
  const bytes = Buffer.from(text, 'base64');
  if (bytes.byteLength % 4 !== 0) return new Float32Array(0); // not whole float32s: reported as a size mismatch
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}
