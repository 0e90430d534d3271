import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { DataFileError, type Autoencoder, type Preprocessing, type tf } from '@aekit/core';
import { loadAutoencoder, MODEL_JSON, readModelMetadata } from '@aekit/core/node';
import { convertLayersModel } from './convert/convert.js';
import { METADATA_KEYS, type ModelPart } from './metadata.js';
import { signModelBytes } from './onnx/checksum.js';
import { encodeModel, type OnnxTypes } from './onnx/proto.js';

/** Options of {@link exportAutoencoder}. */
export interface ExportOptions {
  /** Which model to export; `full` unless given. */
  part?: ModelPart;
  /** Shape of one example of the training data, kept as metadata so tools can draw outputs. */
  dataShape?: readonly number[];
  /**
   * How a raw item becomes the model's input, kept in the file's metadata
   * (`aekit.preprocessing`) for tools that meet raw items. A table's
   * standardisation is baked into the graph (`aekit.inModel: ["scale"]`),
   * so the ONNX model takes raw values and returns reconstructions in raw
   * units (encoder: raw in; decoder: raw out).
   */
  preprocessing?: Preprocessing;
}

/** Names of a VAE encoder's two outputs, everywhere aekit names them (ONNX, Triton, the V2 and `/v1` APIs). */
export const VAE_CODE_OUTPUTS = ['mean', 'logVar'] as const;

/**
 * ONNX input and output names of each part. A VAE's encoder has two
 * outputs, the mean and log-variance of the code; its full model gives the
 * reconstruction of the mean and then the same two (`reconstruction`,
 * `mean`, `logVar`); the decoder generates from a code. Other output
 * counts are numbered (`code_1`, …).
 *
 * @example
 * ```ts
 * import { partSignature } from '@aekit/export-onnx';
 *
 * partSignature('full', 1); // { inputs: ['input'], outputs: ['reconstruction'] }
 * partSignature('encoder', 2); // { inputs: ['input'], outputs: ['mean', 'logVar'] } (a VAE)
 * partSignature('decoder', 1); // { inputs: ['code'], outputs: ['reconstruction'] }
 * ```
 * @param part - `full`, `encoder` or `decoder`.
 * @param outputs - Number of outputs of the part's tfjs model.
 */
export function partSignature(part: ModelPart, outputs: number): { inputs: string[]; outputs: string[] } {
  const numbered = (first: string, n: number) => Array.from({ length: n }, (_, i) => (i === 0 ? first : `${first}_${i}`));
  switch (part) {
    case 'full':
      return { inputs: ['input'], outputs: outputs === 3 ? ['reconstruction', ...VAE_CODE_OUTPUTS] : numbered('reconstruction', outputs) };
    case 'encoder':
      return { inputs: ['input'], outputs: outputs === 2 ? [...VAE_CODE_OUTPUTS] : numbered('code', outputs) };
    case 'decoder':
      return { inputs: ['code'], outputs: numbered('reconstruction', outputs) };
  }
}

/**
 * Converts one part of an autoencoder to an ONNX model: the full
 * autoencoder, the encoder alone or the decoder alone, with named inputs
 * and outputs (see {@link partSignature}) and the family, config and
 * shapes as `metadata_props`.
 *
 * @example
 * ```ts
 * import type { Autoencoder } from '@aekit/core';
 * import { autoencoderToOnnxModel, encodeModel } from '@aekit/export-onnx';
 *
 * declare const autoencoder: Autoencoder; // trained on 28×28 grey images
 * const proto = autoencoderToOnnxModel(autoencoder, { part: 'encoder', dataShape: [28, 28, 1] });
 * console.log(proto.metadataProps?.map((entry) => entry.key)); // ['aekit.format', 'aekit.part', 'aekit.family', ...]
 * const bytes = encodeModel(proto); // unsigned; exportAutoencoder signs as well
 * ```
 * @throws UnsupportedLayerError naming a layer that cannot be converted.
 * @param autoencoder - The trained autoencoder.
 * @param options - Which part to convert (`full` by default) and the data shape to record.
 */
export function autoencoderToOnnxModel(autoencoder: Autoencoder, options: ExportOptions = {}): OnnxTypes.IModelProto {
  const part = options.part ?? 'full';
  const model = partModel(autoencoder, part);
  const names = partSignature(part, model.outputs.length);
  const metadata: Record<string, string> = {
    [METADATA_KEYS.format]: 'aekit-onnx',
    [METADATA_KEYS.part]: part,
    [METADATA_KEYS.family]: autoencoder.family,
    [METADATA_KEYS.config]: JSON.stringify(autoencoder.config),
    [METADATA_KEYS.inputShape]: JSON.stringify(autoencoder.inputShape),
    [METADATA_KEYS.latentShape]: JSON.stringify(autoencoder.latentShape),
  };
  if (options.dataShape) metadata[METADATA_KEYS.dataShape] = JSON.stringify(options.dataShape);
  const { preprocessing } = options;
  const scaler = preprocessing?.kind === 'table' ? preprocessing.scaler : undefined;
  if (preprocessing) metadata[METADATA_KEYS.preprocessing] = JSON.stringify(preprocessing);
  metadata[METADATA_KEYS.inModel] = JSON.stringify(scaler ? ['scale'] : []);
  return convertLayersModel(model, {
    standardizeInput: part === 'decoder' ? undefined : scaler,
    unstandardizeOutput: part === 'encoder' ? undefined : scaler,
    inputNames: names.inputs.slice(0, model.inputs.length),
    outputNames: names.outputs,
    metadata,
    graphName: `${autoencoder.family}_${part}`,
    docString: `aekit ${autoencoder.family} autoencoder (${part})`,
  });
}

/**
 * {@link autoencoderToOnnxModel}, encoded: the bytes of an `.onnx` file,
 * signed with aekit's checksum (see `signModelBytes`), which `ae serve`
 * and `ae infer` check.
 *
 * @example
 * ```ts
 * import { writeFile } from 'node:fs/promises';
 * import { registry } from '@aekit/core';
 * import { loadAutoencoder } from '@aekit/core/node';
 * import { exportAutoencoder } from '@aekit/export-onnx';
 * import { plugin as conv } from '@aekit/models-conv';
 *
 * registry.use(conv);
 * const ae = await loadAutoencoder('runs/conv/model');
 * await writeFile('conv.onnx', exportAutoencoder(ae, { part: 'full', dataShape: [28, 28, 1] }));
 * await writeFile('conv.encoder.onnx', exportAutoencoder(ae, { part: 'encoder', dataShape: [28, 28, 1] }));
 * ```
 * @param autoencoder - The trained autoencoder.
 * @param options - Which part to convert (`full` by default) and the data shape to record.
 */
export function exportAutoencoder(autoencoder: Autoencoder, options: ExportOptions = {}): Uint8Array {
  return signModelBytes(encodeModel(autoencoderToOnnxModel(autoencoder, options)));
}

/**
 * The tfjs model of one part of an autoencoder.
 *
 * @example
 * ```ts
 * import type { Autoencoder } from '@aekit/core';
 * import { partModel } from '@aekit/export-onnx';
 *
 * declare const autoencoder: Autoencoder;
 * const encoder = partModel(autoencoder, 'encoder'); // a tf.LayersModel from the input to the code
 * console.log(encoder.outputs[0].shape); // e.g. [null, 32]
 * ```
 * @param autoencoder - The trained autoencoder.
 * @param part - `full`, `encoder` or `decoder`.
 */
export function partModel(autoencoder: Autoencoder, part: ModelPart): tf.LayersModel {
  switch (part) {
    case 'full':
      return autoencoder.model;
    case 'encoder':
      return autoencoder.encoder.model;
    case 'decoder':
      return autoencoder.decoder.model;
  }
}

/** A saved autoencoder loaded from disk, with the data shape it was trained on. */
export interface LoadedAutoencoder {
  /** The autoencoder with its trained weights. */
  autoencoder: Autoencoder;
  /** Shape of one example of the data it was trained on. */
  dataShape: number[];
  /** How a raw item becomes its input, where the model keeps it. */
  preprocessing?: Preprocessing;
  /** The model directory (holding `model.json`). */
  modelDir: string;
}

/**
 * Loads a saved autoencoder from a run directory written by `ae train`
 * (its `model/` subdirectory) or from a model directory itself. The
 * family must be registered (the `ae` tool registers installed plugins).
 *
 * @example
 * ```ts
 * import { registry } from '@aekit/core';
 * import { exportAutoencoder, loadSavedAutoencoder } from '@aekit/export-onnx';
 * import { plugin as dense } from '@aekit/models-dense';
 *
 * registry.use(dense);
 * const { autoencoder, dataShape, preprocessing } = await loadSavedAutoencoder('runs/dense');
 * const bytes = exportAutoencoder(autoencoder, { dataShape, preprocessing }); // dataShape e.g. [28, 28, 1]
 * ```
 * @throws DataFileError naming the directory when it holds no saved model.
 * @param dir - A run directory (with `model/`) or a model directory.
 */
export async function loadSavedAutoencoder(dir: string): Promise<LoadedAutoencoder> {
  const candidates = [join(dir, 'model'), dir];
  for (const modelDir of candidates) {
    if (await isFile(join(modelDir, MODEL_JSON))) {
      const metadata = await readModelMetadata(modelDir);
      const autoencoder = await loadAutoencoder(modelDir);
      return { autoencoder, dataShape: metadata.dataShape, preprocessing: metadata.preprocessing, modelDir };
    }
  }
  throw new DataFileError(dir, `holds no saved model (no ${join('model', MODEL_JSON)} or ${MODEL_JSON})`);
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}
