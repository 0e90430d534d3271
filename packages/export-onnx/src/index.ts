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
export { ConversionContext, type Layout, type LayerCall, type LayerConverter, type OnnxValue, type Shape, type Weight } from './convert/context.js';
export { attr, GraphBuilder, type AttributeValue, type Attributes, type TensorSignature } from './onnx/graph-builder.js';
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
export { measureParity, type ParityOptions } from './parity.js';
export { meanSquaredErrors } from './runtime/scores.js';
export { encodePng, imageLayoutFor, readPng, type ImageLayout } from './io/images.js';
export { readInputs, type InputBatch, type ReadInputsOptions } from './io/inputs.js';
export { flattenItems, float32Bytes, InvalidInputError, parseFloat32Batch, toRows, type FlatBatch, type FlattenOptions } from './io/items.js';
export { exportCommand, exportRun, partFile, type ExportedFile, type ExportRunOptions } from './cli/export-command.js';
export { inferCommand, inferFiles, type InferOptions, type InferResult } from './cli/infer-command.js';
export { createServeCommand, serveCommand, serveModels, type RunningServer, type ServeOptions } from './cli/serve-command.js';
export { createServer, SHAPE_HEADER, type ServerOptions } from './server/create-server.js';
export { ACTIONS, loadServedModels, ServedModel, type Action } from './server/served-model.js';
export { plugin } from './plugin.js';
