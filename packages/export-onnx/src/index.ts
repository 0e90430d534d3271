/**
 * ONNX export for aekit: converts trained tfjs autoencoders (full model,
 * encoder, decoder) to standard ONNX models, runs them with
 * onnxruntime-node, and serves them over HTTP. As an `ae` plugin it adds
 * the `export`, `infer` and `serve` commands.
 *
 * @packageDocumentation
 */
export { convertLayersModel, supportedLayers, toOnnx, type ConvertOptions } from './convert/convert.js';
export { UnsupportedLayerError } from './convert/errors.js';
export { ConversionContext, type Layout, type LayerCall, type LayerConverter, type OnnxValue, type Shape, type SymbolicGraph, type Weight } from './convert/context.js';
export { attr, GraphBuilder, type AttributeValue, type Attributes, type ConstantType, type TensorSignature } from './onnx/graph-builder.js';
export {
  autoencoderToOnnxModel,
  exportAutoencoder,
  loadSavedAutoencoder,
  partModel,
  partSignature,
  type ExportOptions,
  type LoadedAutoencoder,
} from './export.js';
export { METADATA_KEYS, MODEL_PARTS, parseAekitMetadata, type AekitMetadata, type ModelPart } from './metadata.js';
export { decodeModel, encodeModel, IR_VERSION, OPSET_VERSION, onnx, type OnnxTypes } from './onnx/proto.js';
export { modelNameOf, OnnxModel, type LoadOptions, type RunOutput, type TensorInfo } from './runtime/onnx-model.js';
export { exportCheckedPart, measureParity, type CheckedPart, type ParityOptions } from './parity.js';
export { meanSquaredErrors } from './runtime/scores.js';
export { encodePng, imageLayoutFor, type ImageLayout } from './io/images.js';
export { readInputs, type InputBatch, type ReadInputsOptions } from './io/inputs.js';
export { describeValue, flattenItems, float32Bytes, InvalidInputError, parseFloat32Batch, toRows, writeFiniteNumbers, type FlatBatch, type FlattenOptions } from './io/items.js';
export { exportCommand, exportRun, exportTritonRun, partFile, type ExportedFile, type ExportRunOptions, type ExportTritonOptions } from './cli/export-command.js';
export { toConfigPbtxt, type TritonEnsembleStep, type TritonModelConfig, type TritonTensor } from './triton/model-config.js';
export { tritonModelNames, writeTritonRepository, type TritonRepositoryModel, type TritonRepositoryOptions } from './triton/repository.js';
export { meanSquaredErrorModel, SCORE_MODEL_NAMES } from './onnx/score-model.js';
export { inferCommand, inferFiles, type InferOptions, type InferResult } from './cli/infer-command.js';
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
