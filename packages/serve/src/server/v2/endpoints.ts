import { AeError } from '@aekit/core';
import type { TensorInfo } from '@aekit/export-onnx';
import type { TensorMetadata, TensorSignature } from '../codec/v2-request.js';
import type { ServedModel } from '../served-model.js';

/** One output tensor of an endpoint: float32 values (`FP32`), or float64 (`FP64`, the score). */
export interface EndpointOutput {
  /** The values, row-major, batch first. */
  readonly data: Float32Array | Float64Array;
  /** Dimensions, batch first. */
  readonly shape: readonly number[];
}

/** The platform name of ONNX models in Triton and KServe (what `GET /v2/models/<name>` reports). */
export const ONNX_PLATFORM = 'onnxruntime_onnx';

/** The platform name of a Triton ensemble, which the score model is in a Triton repository. */
export const ENSEMBLE_PLATFORM = 'ensemble';

/** The one version every model has: files are not versioned by `ae serve`; Triton's repository layout calls it `1`. */
export const MODEL_VERSION = '1';

/** Name of the score model's output: one anomaly score (mean squared reconstruction error) per item. */
export const SCORE_OUTPUT = 'score';

/**
 * A model as the Open Inference Protocol sees it: one input, named
 * outputs, and a function from a batch to outputs. One served autoencoder
 * gives up to four, named as `ae export --format triton` names its
 * repository's models, so a client works unchanged against either:
 *
 * - `<name>`: the full model (or the encoder followed by the decoder), `input` → `reconstruction`;
 * - `<name>_encoder`: `input` → `code` (a VAE: `mean`, `logVar`);
 * - `<name>_decoder`: `code` → `reconstruction`;
 * - `<name>_score`: `input` → `score` (`[batch, 1]`, FP64), each item's mean squared reconstruction error.
 */
export interface V2Endpoint extends TensorSignature {
  /** Name in `/v2/models/<name>`. */
  readonly name: string;
  /** What model metadata reports: `onnxruntime_onnx`, or `ensemble` for the score (as in the Triton repository). */
  readonly platform: typeof ONNX_PLATFORM | typeof ENSEMBLE_PLATFORM;
  /**
   * Runs a batch of `count` items (flat in `data`).
   *
   * @param data - The items back to back, row-major.
   * @param count - Number of items in `data`.
   */
  infer(data: Float32Array, count: number): Promise<Record<string, EndpointOutput>>;
  /** The served model behind it (for back-pressure checks). */
  readonly served: ServedModel;
}

/**
 * The V2 endpoints of the served models, by name.
 *
 * @param models - The models `ae serve` serves; each gives up to four endpoints.
 * @throws AeError when two models would get the same endpoint name.
 */
export function v2Endpoints(models: readonly ServedModel[]): Map<string, V2Endpoint> {
  const endpoints = new Map<string, V2Endpoint>();
  const add = (endpoint: V2Endpoint) => {
    if (endpoints.has(endpoint.name)) throw new AeError('serve', `two models would both be '${endpoint.name}' in the V2 API; rename one of the files`);
    endpoints.set(endpoint.name, endpoint);
  };
  for (const served of models) {
    const [full, encoder, decoder] = [served.parts.full?.file, served.parts.encoder?.file, served.parts.decoder?.file];
    if (full) {
      add(endpoint(served, served.name, full.input, full.outputs, (data, count) => served.runPart('full', data, count)));
    } else if (encoder && decoder) {
      const output = decoder.outputs[0];
      add(endpoint(served, served.name, encoder.input, [output], async (data, count) => ({ [output.name]: await served.reconstruct(data, count) })));
    }
    if (encoder) add(endpoint(served, `${served.name}_encoder`, encoder.input, encoder.outputs, (data, count) => served.runPart('encoder', data, count)));
    if (decoder) add(endpoint(served, `${served.name}_decoder`, decoder.input, decoder.outputs, (data, count) => served.runPart('decoder', data, count)));
    if (served.actions.includes('score')) {
      const input = (full ?? encoder)!.input;
      add(
        endpoint(
          served,
          `${served.name}_score`,
          input,
          [{ name: SCORE_OUTPUT, shape: [null, 1], datatype: 'FP64' }],
          async (data, count) => ({ [SCORE_OUTPUT]: { data: (await served.score(data, count)).data, shape: [count, 1] } }),
          ENSEMBLE_PLATFORM,
        ),
      );
    }
  }
  return endpoints;
}

/**
 * A tensor's metadata in V2 terms: FP32 unless said otherwise, -1 for a dimension that varies.
 *
 * @param info - The tensor's name and shape as the ONNX session reports them (`null` for a dynamic dimension), and its datatype if not FP32.
 */
export function tensorMetadata(info: TensorInfo & { datatype?: TensorMetadata['datatype'] }): TensorMetadata {
  return { name: info.name, datatype: info.datatype ?? 'FP32', shape: info.shape.map((d) => d ?? -1) };
}

function endpoint(
  served: ServedModel,
  name: string,
  input: TensorInfo,
  outputs: readonly (TensorInfo & { datatype?: TensorMetadata['datatype'] })[],
  infer: V2Endpoint['infer'],
  platform: V2Endpoint['platform'] = ONNX_PLATFORM,
): V2Endpoint {
  return { name, served, platform, input: tensorMetadata(input), outputs: outputs.map(tensorMetadata), infer };
}
