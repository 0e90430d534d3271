import { mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { AeError, type Autoencoder, type Preprocessing } from '@aekit/core';
import { prepareOutputFolder, writeFileAtomic } from '@aekit/core/node';
import { partModel, partSignature } from '../export.js';
import { MODEL_PARTS, type ModelPart } from '../metadata.js';
import { meanSquaredErrorModel, SCORE_MODEL_NAMES } from '../onnx/score-model.js';
import { exportCheckedPart } from '../parity.js';
import { writeModelFile } from '../write-model-file.js';
import { toConfigPbtxt, type TritonEnsembleStep, type TritonModelConfig, type TritonTensor } from './model-config.js';

/** Options of {@link writeTritonRepository}. */
export interface TritonRepositoryOptions {
  /** Base name of the models: `<name>`, `<name>_encoder`, `<name>_decoder`, `<name>_mse`, `<name>_score`. */
  name: string;
  /** Shape of one example of the data the autoencoder was trained on (kept in the ONNX metadata). */
  dataShape: readonly number[];
  /** The model's preprocessing, kept in each model's metadata; a table's scaler is baked into the models and weights the score. */
  preprocessing?: Preprocessing;
  /** `max_batch_size` of every model; 256 unless given. */
  maxBatch?: number;
  /** Dynamic batching's `max_queue_delay_microseconds`, in milliseconds; 0 unless given. */
  maxDelayMs?: number;
  /** Dynamic batching's `max_queue_size`; 128 unless given. */
  maxQueue?: number;
  /** Largest max-abs difference from tfjs accepted for each ONNX file; `Infinity` skips the check. 1e-4 unless given. */
  tolerance?: number;
  /** Prints a line. */
  log?: (line: string) => void;
}

/** One model written into the repository. */
export interface TritonRepositoryModel {
  /** Its name (and directory). */
  name: string;
  /** What it computes: an autoencoder part, the score's error model, or the score ensemble. */
  kind: ModelPart | 'mse' | 'score';
  /** Its `config.pbtxt`. */
  configPath: string;
  /** Its `1/model.onnx` (none for the ensemble). */
  onnxPath?: string;
  /** Max abs difference of the ONNX file from tfjs (for the parts, when checked). */
  maxAbsDiff?: number;
}

/**
 * Names of the repository's models for a base name.
 *
 * @example
 * ```ts
 * import { tritonModelNames } from '@aekit/export-onnx';
 *
 * tritonModelNames('mnist');
 * // { full: 'mnist', encoder: 'mnist_encoder', decoder: 'mnist_decoder', mse: 'mnist_mse', score: 'mnist_score' }
 * ```
 * @param name - The base name, which the full model gets as it is, e.g. `mnist`.
 */
export function tritonModelNames(name: string): Record<ModelPart | 'mse' | 'score', string> {
  return { full: name, encoder: `${name}_encoder`, decoder: `${name}_decoder`, mse: `${name}_mse`, score: `${name}_score` };
}

/** Names Triton and URLs take without escaping. */
const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * Writes a Triton Inference Server model repository for an autoencoder
 * into `out`: for the full model, the encoder and the decoder, a directory
 * `<model>/` with `config.pbtxt` (platform `onnxruntime_onnx`, FP32 inputs
 * and outputs with their dims, `max_batch_size`, dynamic batching with a
 * bounded queue) and `<model>/1/model.onnx`, each checked against tfjs
 * before it is written. The anomaly score is an ensemble, `<name>_score`:
 * the full model, then `<name>_mse` (a small ONNX model of the mean
 * squared error), so Triton answers the same four questions as `ae serve`.
 * The model names are those of `ae serve`'s V2 API, so a client moves
 * from one to the other by changing the address.
 *
 * @example
 * ```ts
 * import type { Autoencoder } from '@aekit/core';
 * import { writeTritonRepository } from '@aekit/export-onnx';
 *
 * declare const autoencoder: Autoencoder;
 * const models = await writeTritonRepository(autoencoder, 'model-repository', { name: 'mnist', dataShape: [28, 28, 1], maxBatch: 64 });
 * console.log(models.map((model) => model.configPath)); // ['model-repository/mnist/config.pbtxt', ..., 'model-repository/mnist_score/config.pbtxt']
 * ```
 * @param autoencoder - The trained model to export.
 * @param out - The repository directory; model directories are written into it.
 * @param options - The models' base name, data shape and preprocessing, batching limits, parity tolerance and logger.
 */
export async function writeTritonRepository(autoencoder: Autoencoder, out: string, options: TritonRepositoryOptions): Promise<TritonRepositoryModel[]> {
  if (!NAME_PATTERN.test(options.name)) throw new AeError('export', `model name '${options.name}' must be letters, digits, '.', '_' or '-'`);
  const maxBatchSize = options.maxBatch ?? 256;
  const dynamicBatching = { maxQueueDelayMicroseconds: Math.round((options.maxDelayMs ?? 0) * 1000), maxQueueSize: options.maxQueue ?? 128 };
  const names = tritonModelNames(options.name);
  // A folder of the user's own is refused; an existing model repository (other models beside ours) is not.
  await prepareOutputFolder(out, { expected: Object.values(names), isOurs: isModelRepository });
  const log = options.log ?? (() => {});
  const written: TritonRepositoryModel[] = [];

  const write = async (config: TritonModelConfig, kind: TritonRepositoryModel['kind'], onnx?: Uint8Array, maxAbsDiff?: number) => {
    const dir = join(out, config.name);
    await mkdir(join(dir, '1'), { recursive: true });
    const configPath = join(dir, 'config.pbtxt');
    await writeFileAtomic(configPath, toConfigPbtxt(config));
    let onnxPath: string | undefined;
    if (onnx) {
      onnxPath = join(dir, '1', 'model.onnx');
      await writeModelFile(onnxPath, onnx);
    }
    written.push({ name: config.name, kind, configPath, onnxPath, maxAbsDiff });
    const check = maxAbsDiff === undefined ? '' : `, max |onnx - tfjs| = ${maxAbsDiff.toExponential(1)}`;
    log(`${kind}: ${dir}/ (${config.platform}${check})`);
  };

  for (const part of MODEL_PARTS) {
    const { bytes, maxAbsDiff } = await exportCheckedPart(autoencoder, part, options.dataShape, options.tolerance ?? 1e-4, options.preprocessing);
    const { inputs, outputs } = partTensors(autoencoder, part);
    await write({ name: names[part], platform: 'onnxruntime_onnx', maxBatchSize, inputs, outputs, dynamicBatching }, part, bytes, maxAbsDiff);
  }

  const { inputs, outputs } = partTensors(autoencoder, 'full');
  const item = inputs[0];
  const reconstruction = outputs[0];
  const score: TritonTensor = { name: SCORE_MODEL_NAMES.score, dims: [1], dataType: 'TYPE_FP64' };
  await write(
    {
      name: names.mse,
      platform: 'onnxruntime_onnx',
      maxBatchSize,
      inputs: [
        { name: SCORE_MODEL_NAMES.input, dims: item.dims },
        { name: SCORE_MODEL_NAMES.reconstruction, dims: reconstruction.dims },
      ],
      outputs: [score],
      dynamicBatching,
    },
    'mse',
    meanSquaredErrorModel(item.dims, options.preprocessing?.kind === 'table' ? options.preprocessing.scaler : undefined),
  );
  await write(
    {
      name: names.score,
      platform: 'ensemble',
      maxBatchSize,
      inputs: [{ name: item.name, dims: item.dims }],
      outputs: [score],
      ensembleSteps: scoreEnsembleSteps(options.name, item.name, reconstruction.name),
    },
    'score',
  );
  return written;
}

/**
 * The steps of the score ensemble `<name>_score`: the full model's
 * reconstruction of the input, then `<name>_mse` on the input and that
 * reconstruction, whose `score` is the ensemble's output.
 *
 * @example
 * ```ts
 * import { scoreEnsembleSteps } from '@aekit/export-onnx';
 *
 * scoreEnsembleSteps('mnist', 'input', 'reconstruction');
 * // [{ modelName: 'mnist', inputMap: { input: 'input' }, outputMap: { reconstruction: 'reconstruction_of_input' } },
 * //  { modelName: 'mnist_mse', inputMap: { input: 'input', reconstruction: 'reconstruction_of_input' }, outputMap: { score: 'score' } }]
 * ```
 * @param name - The models' base name, e.g. `conv`.
 * @param input - The full model's input name (also the ensemble's).
 * @param reconstruction - The full model's reconstruction output name.
 */
export function scoreEnsembleSteps(name: string, input: string, reconstruction: string): TritonEnsembleStep[] {
  const names = tritonModelNames(name);
  return [
    { modelName: names.full, inputMap: { [input]: input }, outputMap: { [reconstruction]: 'reconstruction_of_input' } },
    {
      modelName: names.mse,
      inputMap: { [SCORE_MODEL_NAMES.input]: input, [SCORE_MODEL_NAMES.reconstruction]: 'reconstruction_of_input' },
      outputMap: { [SCORE_MODEL_NAMES.score]: SCORE_MODEL_NAMES.score },
    },
  ];
}

/** A part's ONNX inputs and outputs with their per-item dims. */
function partTensors(autoencoder: Autoencoder, part: ModelPart): { inputs: TritonTensor[]; outputs: TritonTensor[] } {
  const model = partModel(autoencoder, part);
  const names = partSignature(part, model.outputs.length);
  const dims = (shape: readonly (number | null)[], what: string): number[] => {
    const item = shape.slice(1);
    if (item.some((d) => d === null)) throw new AeError('export', `the ${part} model's ${what} has a shape [${shape}] that varies beyond the batch; Triton needs fixed dims`);
    return item as number[];
  };
  return {
    inputs: model.inputs.map((t, i) => ({ name: names.inputs[i], dims: dims(t.shape, `input ${names.inputs[i]}`) })),
    outputs: model.outputs.map((t, i) => ({ name: names.outputs[i], dims: dims(t.shape, `output ${names.outputs[i]}`) })),
  };
}

/** A Triton model repository: every entry a model folder with its `config.pbtxt`. */
async function isModelRepository(dir: string, names: readonly string[]): Promise<boolean> {
  for (const name of names) {
    try {
      if (!(await stat(join(dir, name, 'config.pbtxt'))).isFile()) return false;
    } catch {
      return false;
    }
  }
  return true;
}
