// The work the codec thread does for large bodies and answers, and the
// main thread does itself for small ones: the same functions either way.
// Imports no module that loads TensorFlow.js.
import { encodeJson, type JsonTensor } from './json.js';
import { parseJsonItems, type V1Body } from './v1-body.js';
import { encodeResponse, splitBody, type EncodedResponse, type ResponseTensor } from './v2-body.js';
import { checkInferRequest, type CheckedInferRequest, type TensorSignature } from './v2-request.js';

/** Each task: its arguments and its result. */
export interface CodecTasks {
  /** A `/v1` JSON body into items (model inputs, or raw items for the main thread to prepare). */
  v1Request: { args: { bytes: Uint8Array; itemShape: number[]; maxBatch: number }; result: V1Body };
  /** A `/v1` JSON answer. */
  v1Response: { args: { fields: Record<string, unknown>; tensors: JsonTensor[] }; result: Buffer };
  /** A V2 inference request body into the checked request. */
  v2Request: { args: { bytes: Uint8Array; headerLength?: string; signature: TensorSignature; maxBatch: number }; result: CheckedInferRequest };
  /** A V2 inference response. */
  v2Response: { args: { response: Record<string, unknown>; outputs: ResponseTensor[] }; result: EncodedResponse };
}

/** A task's name. */
export type CodecTask = keyof CodecTasks;

/** The functions behind the tasks. */
export const CODEC_TASKS: { [K in CodecTask]: (args: CodecTasks[K]['args']) => CodecTasks[K]['result'] } = {
  v1Request: ({ bytes, itemShape, maxBatch }) => parseJsonItems(bytes, itemShape, maxBatch),
  v1Response: ({ fields, tensors }) => encodeJson(fields, tensors),
  v2Request: ({ bytes, headerLength, signature, maxBatch }) => {
    const { json, binary } = splitBody(bytes, headerLength);
    return checkInferRequest(json, binary, signature, maxBatch);
  },
  v2Response: ({ response, outputs }) => encodeResponse(response, outputs),
};
