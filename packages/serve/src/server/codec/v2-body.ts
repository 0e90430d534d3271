// Runs in the main thread and in the codec thread: imports no module that loads TensorFlow.js.
import { InvalidInputError } from '@aekit/export-onnx/items';
import { checkJsonDepth, encodeJson, type JsonTensor } from './json.js';

/**
 * Header of the binary tensor data extension: the length of the JSON part
 * of a body whose tensors follow as raw bytes.
 */
export const INFERENCE_HEADER_LENGTH = 'inference-header-content-length';

/** A V2 body split into its JSON header and the binary tensor data after it. */
export interface SplitBody {
  /** The parsed JSON object. */
  json: unknown;
  /** The bytes after the JSON (empty for a JSON-only body). */
  binary: Uint8Array;
}

/**
 * Splits a V2 request body: with an `Inference-Header-Content-Length`
 * header, its first that many bytes are the JSON request and the rest is
 * the binary tensor data in input order; without it, the whole body is JSON.
 *
 * @param body - The raw request body.
 * @param headerLength - The `Inference-Header-Content-Length` header's value (a byte count), or undefined when the request has none.
 * @throws InvalidInputError for a bad header value or JSON that does not parse.
 */
export function splitBody(body: Uint8Array, headerLength: string | string[] | undefined): SplitBody {
  let jsonLength = body.length;
  if (headerLength !== undefined) {
    const text = Array.isArray(headerLength) ? headerLength[0] : headerLength;
    const value = Number(text);
    if (!/^\d+$/.test(text.trim()) || value > body.length) {
      throw new InvalidInputError(`Inference-Header-Content-Length: expected a byte count from 0 to the body's ${body.length}, got ${JSON.stringify(text)}`);
    }
    jsonLength = value;
  }
  checkJsonDepth(body.subarray(0, jsonLength));
  const text = Buffer.from(body.buffer, body.byteOffset, jsonLength).toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new InvalidInputError(`body: the inference request is not valid JSON (${(error as Error).message})`);
  }
  return { json, binary: body.subarray(jsonLength) };
}

/** A response ready to send: the body, and the header length when binary data follows the JSON. */
export interface EncodedResponse {
  /** The whole body. */
  body: Buffer;
  /** Length of the JSON part, for `Inference-Header-Content-Length`; undefined for plain JSON. */
  headerLength?: number;
}

/** One output of a V2 response: its JSON fields (name, datatype, shape), values, and whether they go as binary data. */
export interface ResponseTensor {
  /** `name`, `datatype` and `shape`. */
  fields: Record<string, unknown>;
  /** The values: float32 for `FP32`, float64 for `FP64`. */
  values: Float32Array | Float64Array;
  /** Send the values as raw bytes after the JSON (the binary data extension). */
  binary: boolean;
}

/**
 * Writes a V2 inference response. Outputs in `binary` leave `data` out of
 * the JSON and carry `parameters.binary_data_size`; their values follow
 * the JSON as little-endian float32 (`FP32`) or float64 (`FP64`), in
 * output order.
 *
 * @param response - The response object; its `outputs` are completed here.
 * @param outputs - Each output's JSON fields (without data), values, and whether to send them as binary.
 */
export function encodeResponse(response: Record<string, unknown>, outputs: readonly ResponseTensor[]): EncodedResponse {
  const chunks: Buffer[] = [];
  const tensors: JsonTensor[] = [];
  const json = {
    ...response,
    outputs: outputs.map(({ fields, values, binary }, i) => {
      if (!binary) {
        tensors.push({ path: ['outputs', i, 'data'], values });
        return fields;
      }
      chunks.push(littleEndian(values));
      return { ...fields, parameters: { ...(fields.parameters as object | undefined), binary_data_size: values.byteLength } };
    }),
  };
  const header = encodeJson(json, tensors);
  if (chunks.length === 0) return { body: header };
  return { body: Buffer.concat([header, ...chunks]), headerLength: header.length };
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * The values' bytes, little-endian as the binary formats want (typed
 * arrays are in the machine's order); no copy on a little-endian machine.
 *
 * @param values - float32 or float64 values.
 */
export function littleEndian(values: Float32Array | Float64Array): Buffer {
  const bytes = Buffer.from(values.buffer, values.byteOffset, values.byteLength);
  if (LITTLE_ENDIAN) return bytes;
  const copy = Buffer.from(bytes);
  return values instanceof Float64Array ? copy.swap64() : copy.swap32();
}
