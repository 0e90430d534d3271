/**
 * Serving for aekit: ONNX autoencoders (written by `@aekit/export-onnx`)
 * over HTTP, with aekit's own `/v1` routes, the Open Inference Protocol
 * (KServe V2) REST API, dynamic batching, bounded requests and Prometheus
 * metrics. As an `ae` plugin it adds the `serve` command.
 *
 * @packageDocumentation
 */
export { createServeCommand, serveCommand, serveModels, type RunningServer, type ServeOptions } from './cli/serve-command.js';
export { createServer, SHAPE_HEADER, type ServerOptions } from './server/create-server.js';
export { ACTIONS, loadServedModels, ServedModel, type Action, type PartRunner } from './server/served-model.js';
export { BatchQueue, QueueFullError, type BatchingOptions, type BatchObserver, type BatchRunner } from './server/batch-queue.js';
export { ModelQueues, RETRY_AFTER_SECONDS, sendQueueFull } from './server/model-queues.js';
export { ServerMetrics } from './server/metrics.js';
export { ENSEMBLE_PLATFORM, MODEL_VERSION, ONNX_PLATFORM, SCORE_OUTPUT, tensorMetadata, v2Endpoints, type V2Endpoint } from './server/v2/endpoints.js';
export { registerV2Routes, V2_EXTENSIONS, type V2RouteOptions } from './server/v2/routes.js';
export {
  checkInferRequest,
  V2_DATATYPES,
  type CheckedInferRequest,
  type ParameterValue,
  type RequestedOutput,
  type TensorMetadata,
  type TensorSignature as V2TensorSignature,
} from './server/v2/tensors.js';
export { encodeResponse, INFERENCE_HEADER_LENGTH, splitBody, type EncodedResponse, type SplitBody } from './server/v2/binary-data.js';
export { plugin } from './plugin.js';
