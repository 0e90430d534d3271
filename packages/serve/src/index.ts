/**
 * Serving for aekit: ONNX autoencoders (written by `@aekit/export-onnx`)
 * over HTTP, with aekit's own `/v1` routes, the Open Inference Protocol
 * (KServe V2) REST API, dynamic batching, bounded requests and Prometheus
 * metrics. As an `ae` plugin it adds the `serve` command.
 *
 * @packageDocumentation
 */
export { createServeCommand, serveCommand, serveModels, serveOptions, type RunningServer, type ServeOptions } from './cli/serve-command.js';
export { createServer, type ServerOptions } from './server/create-server.js';
export { DEFAULT_LIMITS, resolveLimits, type ServerLimits } from './server/limits.js';
export { HttpError, NonFiniteOutputError, ResponseTooLargeError } from './server/errors.js';
export { checkAnswerSize, checkFinite, valuesPerItem, type AnswerTensor } from './server/answers.js';
export { BodyBudget } from './server/body-budget.js';
export { createHttpServer } from './server/http-server.js';
export { ACTIONS, loadServedModels, ServedModel, type Action, type LoadServedOptions, type PartRunner, type ScoreOutput } from './server/served-model.js';
export { DEFAULT_INLINE_BYTES, WorkerPart, type RunnablePart } from './server/workers/worker-part.js';
export { CodecPool, ownedBuffers } from './server/workers/codec-pool.js';
export type { CodecTask, CodecTasks } from './server/codec/tasks.js';
export type { V1Body, RawJsonItems } from './server/codec/v1-body.js';
export { BatchQueue, QueueFullError, type BatchingOptions, type BatchObserver, type BatchRunner } from './server/batch-queue.js';
export { ModelQueues, RETRY_AFTER_SECONDS, sendQueueFull } from './server/model-queues.js';
export { ServerMetrics } from './server/metrics.js';
export type { ServerContext } from './server/context.js';
export { DATATYPE_HEADER, registerV1Routes, SHAPE_HEADER } from './server/v1/routes.js';
export { ENSEMBLE_PLATFORM, MODEL_VERSION, ONNX_PLATFORM, SCORE_OUTPUT, tensorMetadata, v2Endpoints, type EndpointOutput, type V2Endpoint } from './server/v2/endpoints.js';
export { endpointConfig } from './server/v2/model-config.js';
export { registerV2Routes, V2_EXTENSIONS } from './server/v2/routes.js';
export {
  checkInferRequest,
  V2_DATATYPES,
  type CheckedInferRequest,
  type ParameterValue,
  type RequestedOutput,
  type TensorMetadata,
  type TensorSignature as V2TensorSignature,
} from './server/codec/v2-request.js';
export { encodeResponse, INFERENCE_HEADER_LENGTH, littleEndian, splitBody, type EncodedResponse, type ResponseTensor, type SplitBody } from './server/codec/v2-body.js';
export { checkJsonDepth, encodeJson, JSON_BYTES_PER_VALUE, MAX_JSON_DEPTH, toRows, type JsonTensor } from './server/codec/json.js';
export { plugin } from './plugin.js';
