import { AeError, createRng, tf, type Autoencoder, type FeatureScaler, type Preprocessing } from '@aekit/core';
import { exportAutoencoder, partModel } from './export.js';
import type { ModelPart } from './metadata.js';
import { OnnxModel } from './runtime/onnx-model.js';
import { MissingRuntimeError } from './runtime/onnxruntime.js';

/** Options of {@link measureParity}. */
export interface ParityOptions {
  /** Items in the random batch; 8 unless given. */
  batch?: number;
  /** Seed of the random inputs. */
  seed?: number;
  /**
   * The scaler baked into the ONNX model (see `ExportOptions.preprocessing`):
   * the ONNX model gets the raw values `mean + std · u` of the tfjs model's
   * inputs `u`, and its first output is standardised back before comparing,
   * so the difference is in the model's own units.
   */
  scaler?: { input?: FeatureScaler; output?: FeatureScaler };
}

/**
 * Runs a tfjs model and its ONNX conversion (in onnxruntime) on the same
 * random batch, uniform in [0, 1], and returns the largest absolute
 * difference over all outputs. `ae export` refuses to write a model whose
 * difference exceeds its tolerance.
 *
 * @example
 * ```ts
 * import { tf } from '@aekit/core';
 * import { measureParity, toOnnx } from '@aekit/export-onnx';
 *
 * declare const model: tf.LayersModel;
 * const maxAbsDiff = await measureParity(model, toOnnx(model), { batch: 8, seed: 1 });
 * console.log(maxAbsDiff); // e.g. 6e-8: float32 rounding
 * ```
 * @param model - The tfjs model; its non-batch input dimensions must be known.
 * @param onnxBytes - Its conversion.
 * @param options - Size and seed of the random batch; all optional.
 */
export async function measureParity(model: tf.LayersModel, onnxBytes: Uint8Array, options: ParityOptions = {}): Promise<number> {
  const batch = options.batch ?? 8;
  const rng = createRng(options.seed ?? 0);
  const inputs = model.inputs.map((input) => {
    const shape = [batch, ...input.shape.slice(1).map((d) => d ?? 1)];
    return { data: Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng()), shape };
  });
  const expected = tf.tidy(() => {
    const xs = inputs.map((i) => tf.tensor(i.data, i.shape));
    const out = model.apply(xs.length === 1 ? xs[0] : xs, { training: false }) as tf.Tensor | tf.Tensor[];
    return (Array.isArray(out) ? out : [out]).map((t) => t.dataSync() as Float32Array);
  });
  const { input: inScaler, output: outScaler } = options.scaler ?? {};
  const feeds = inputs.map((input, i) => (i === 0 && inScaler ? { ...input, data: affine(input.data, inScaler, 'raw') } : input));
  const onnx = await OnnxModel.load(onnxBytes).catch((error: unknown) => {
    throw error instanceof MissingRuntimeError ? new MissingRuntimeError('the comparison with tfjs (skip it with --no-check)') : error;
  });
  try {
    const outputs = await onnx.runFeeds(Object.fromEntries(onnx.inputs.map((info, i) => [info.name, feeds[i]])));
    let max = 0;
    onnx.outputs.forEach((info, i) => {
      const actual = i === 0 && outScaler ? affine(outputs[info.name].data, outScaler, 'standard') : outputs[info.name].data;
      if (actual.length !== expected[i].length) max = Infinity;
      // A NaN anywhere counts as an infinite difference.
      else for (let j = 0; j < actual.length; j++) max = Math.max(max, Math.abs(actual[j] - expected[i][j]) || (actual[j] === expected[i][j] ? 0 : Infinity));
    });
    return max;
  } finally {
    await onnx.close();
  }
}

/** One part converted by {@link exportCheckedPart}. */
export interface CheckedPart {
  /** The `.onnx` file's bytes. */
  bytes: Uint8Array;
  /** Max abs difference from tfjs on a random batch (undefined when not checked). */
  maxAbsDiff?: number;
}

/**
 * Converts one part of an autoencoder to ONNX and checks it against tfjs on
 * a random batch, as every `ae export` format does before writing.
 *
 * @example
 * ```ts
 * import { writeFile } from 'node:fs/promises';
 * import type { Autoencoder } from '@aekit/core';
 * import { exportCheckedPart } from '@aekit/export-onnx';
 *
 * declare const autoencoder: Autoencoder;
 * const { bytes, maxAbsDiff } = await exportCheckedPart(autoencoder, 'full', [28, 28, 1], 1e-4);
 * await writeFile('mnist.onnx', bytes); // maxAbsDiff: the measured difference, at most 1e-4
 * ```
 * @param autoencoder - The trained autoencoder.
 * @param part - `full`, `encoder` or `decoder`.
 * @param dataShape - Shape of one example as the data has it (the ONNX input's shape).
 * @param tolerance - Largest max-abs difference accepted; `Infinity` skips the check.
 * @param preprocessing - The model's preprocessing; a table's scaler is baked into the graph, and the check compares in standardised units.
 * @throws AeError when the difference exceeds the tolerance.
 */
export async function exportCheckedPart(
  autoencoder: Autoencoder,
  part: ModelPart,
  dataShape: readonly number[],
  tolerance: number,
  preprocessing?: Preprocessing,
): Promise<CheckedPart> {
  const bytes = exportAutoencoder(autoencoder, { part, dataShape, preprocessing });
  if (!Number.isFinite(tolerance)) return { bytes };
  const table = preprocessing?.kind === 'table' ? preprocessing.scaler : undefined;
  const scaler = table && { input: part === 'decoder' ? undefined : table, output: part === 'encoder' ? undefined : table };
  const maxAbsDiff = await measureParity(partModel(autoencoder, part), bytes, { scaler });
  if (!(maxAbsDiff <= tolerance)) {
    throw new AeError('parity', `the ONNX ${part} model differs from tfjs by ${maxAbsDiff} (tolerance ${tolerance}); not written`);
  }
  return { bytes, maxAbsDiff };
}

/** `mean + std · x` (to raw units) or `(x − mean) / std` (to standard units), feature by feature. */
function affine(values: Float32Array | Float64Array, scaler: FeatureScaler, to: 'raw' | 'standard'): Float32Array {
  const n = scaler.mean.length;
  return Float32Array.from(values, (v, i) => (to === 'raw' ? scaler.mean[i % n] + scaler.std[i % n] * v : (v - scaler.mean[i % n]) / scaler.std[i % n]));
}
