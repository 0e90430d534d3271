/**
 * ONNX export for aekit: converts trained tfjs autoencoders (full model,
 * encoder, decoder) to standard ONNX models, checks them against tfjs,
 * writes Triton model repositories, and runs ONNX files with
 * onnxruntime-node (an optional peer dependency, loaded when a model runs).
 * As an `ae` plugin it adds the `export` and `infer` commands; serving is
 * `@aekit/serve`.
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
  VAE_CODE_OUTPUTS,
  type ExportOptions,
  type LoadedAutoencoder,
} from './export.js';
export { METADATA_KEYS, MODEL_PARTS, parseAekitMetadata, type AekitMetadata, type ModelPart } from './metadata.js';
export { decodeModel, encodeModel, IR_VERSION, OPSET_VERSION, onnx, type OnnxTypes } from './onnx/proto.js';
export { modelNameOf, OnnxModel, OnnxModelFile, type LoadOptions, type OutputTensor, type ReadOptions, type RunOutput, type TensorInfo } from './runtime/onnx-model.js';
export { MissingRuntimeError, RUNTIME_INSTALL_COMMAND } from './runtime/onnxruntime.js';
export { sessionOptions, type SessionSettings } from './runtime/session-options.js';
export { CHECKSUM_KEY, signModelBytes, verifyModelBytes, type ChecksumStatus } from './onnx/checksum.js';
export { exportCheckedPart, measureParity, type CheckedPart, type ParityOptions } from './parity.js';
export { meanSquaredErrors } from './runtime/scores.js';
export { encodePng, imageLayoutFor, type ImageLayout } from './io/images.js';
export { readInputs, type InputBatch, type ReadInputsOptions } from './io/inputs.js';
export { describeValue, flattenItems, float32Bytes, FLOAT32_MAX, InvalidInputError, parseFloat32Batch, toRows, writeFiniteNumbers, type FlatBatch, type FlattenOptions } from './io/items.js';
export { exportCommand, exportRun, exportTritonRun, partFile, type ExportedFile, type ExportRunOptions, type ExportTritonOptions } from './cli/export-command.js';
export { toConfigJson, toConfigPbtxt, type TritonEnsembleStep, type TritonModelConfig, type TritonTensor } from './triton/model-config.js';
export { scoreEnsembleSteps, tritonModelNames, writeTritonRepository, type TritonRepositoryModel, type TritonRepositoryOptions } from './triton/repository.js';
export { meanSquaredErrorModel, SCORE_MODEL_NAMES } from './onnx/score-model.js';
export { inferCommand, inferFiles, type InferOptions, type InferResult } from './cli/infer-command.js';
export { positionals } from './cli/options.js';
export { plugin } from './plugin.js';
