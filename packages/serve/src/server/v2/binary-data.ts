import { InvalidInputError } from '@aekit/export-onnx';

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

/**
 * Writes a V2 inference response. Outputs in `binary` leave `data` out of
 * the JSON and carry `parameters.binary_data_size`; their values follow
 * the JSON as little-endian float32, in output order.
 *
 * @param response - The response object; its `outputs` are completed here.
 * @param outputs - Each output's JSON fields (without data), values, and whether to send them as binary.
 */
export function encodeResponse(
  response: Record<string, unknown>,
  outputs: readonly { fields: Record<string, unknown>; values: Float32Array; binary: boolean }[],
): EncodedResponse {
  const chunks: Buffer[] = [];
  const json = {
    ...response,
    outputs: outputs.map(({ fields, values, binary }) => {
      if (!binary) return { ...fields, data: Array.from(values) };
      const bytes = Buffer.from(values.buffer, values.byteOffset, values.byteLength);
      // Float32Array is in the machine's byte order; the extension wants little-endian.
      chunks.push(LITTLE_ENDIAN ? bytes : swap32(bytes));
      return { ...fields, parameters: { ...(fields.parameters as object | undefined), binary_data_size: values.byteLength } };
    }),
  };
  const header = Buffer.from(JSON.stringify(json), 'utf8');
  if (chunks.length === 0) return { body: header };
  return { body: Buffer.concat([header, ...chunks]), headerLength: header.length };
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

function swap32(bytes: Buffer): Buffer {
  const copy = Buffer.from(bytes);
  return copy.swap32();
}
