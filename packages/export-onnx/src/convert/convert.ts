import type { FeatureScaler, tf } from '@aekit/core';
import { GraphBuilder } from '../onnx/graph-builder.js';
import { signModelBytes } from '../onnx/checksum.js';
import { encodeModel, IR_VERSION, OPSET_VERSION, type OnnxTypes } from '../onnx/proto.js';
import { PACKAGE_NAME, PACKAGE_VERSION } from '../version.js';
import { ConversionContext, type LayerConverter, type OnnxValue } from './context.js';
import { UnsupportedLayerError } from './errors.js';
import { LAYER_CONVERTERS } from './layers/index.js';

/** Options of {@link convertLayersModel}. */
export interface ConvertOptions {
  /** Names of the ONNX graph inputs, in the order of `model.inputs`; default: the tfjs input layers' names. */
  inputNames?: readonly string[];
  /** Names of the ONNX graph outputs, in the order of `model.outputs`; default: the tfjs output layers' names. */
  outputNames?: readonly string[];
  /** Key/value pairs stored in the model's `metadata_props`. */
  metadata?: Readonly<Record<string, string>>;
  /** Name of the ONNX graph; default: the tfjs model's name. */
  graphName?: string;
  /** A description stored as the model's `doc_string`. */
  docString?: string;
  /**
   * Converters for further layer classes (custom layers), by tfjs class
   * name; they take precedence over the built-in ones.
   */
  converters?: Readonly<Record<string, LayerConverter>>;
  /**
   * Standardise the first input inside the graph, `(x − mean) / std` per
   * feature, so the ONNX model takes raw values (a table's rows).
   */
  standardizeInput?: FeatureScaler;
  /** Undo standardisation on the first output, `y · std + mean`, so it comes out in raw units. */
  unstandardizeOutput?: FeatureScaler;
}

/**
 * Converts a tfjs layers model into an ONNX model (IR version 8, opset 17):
 * every weight becomes an initializer, every layer one or a few ONNX nodes.
 * Inputs and outputs keep tfjs' shapes and axis order (channels last) with a
 * dynamic batch dimension; inside, runs of convolutional layers work
 * channels-first as ONNX wants, with a Transpose only where the layout
 * changes.
 *
 * @example
 * ```ts
 * import { tf } from '@aekit/core';
 * import { convertLayersModel } from '@aekit/export-onnx';
 *
 * const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [4], units: 2, activation: 'relu' }), tf.layers.dense({ units: 4, activation: 'sigmoid' })] });
 * const proto = convertLayersModel(model, { inputNames: ['input'], outputNames: ['reconstruction'] });
 * console.log(proto.graph?.node?.map((node) => node.opType)); // ['Gemm', 'Relu', 'Gemm', 'Sigmoid', 'Identity']
 * ```
 * @param model - A functional or sequential model, possibly with nested models.
 * @param options - Names, metadata and description.
 * @throws UnsupportedLayerError naming the layer and its type when a layer, or a
 *   setting of one, has no exact ONNX translation.
 */
export function convertLayersModel(model: tf.LayersModel, options: ConvertOptions = {}): OnnxTypes.IModelProto {
  const graph = new GraphBuilder();
  const inputNames = model.inputs.map((t, i) => graph.reserveName(options.inputNames?.[i] ?? t.sourceLayer.name));
  const outputNames = (options.outputNames ?? defaultOutputNames(model)).map((name) => graph.reserveName(name));
  if (outputNames.length !== model.outputs.length) {
    throw new Error(`${outputNames.length} output names given for a model with ${model.outputs.length} outputs`);
  }
  const inputs: OnnxValue[] = model.inputs.map((tensor, i) => {
    if (tensor.dtype !== 'float32') {
      throw new UnsupportedLayerError(tensor.sourceLayer.name, 'InputLayer', `input dtype ${tensor.dtype} is not supported (only float32)`);
    }
    graph.addInput({ name: inputNames[i], shape: tensor.shape });
    const scaler = i === 0 ? options.standardizeInput : undefined;
    const name = scaler ? standardizeNodes(graph, inputNames[i], tensor.shape, scaler) : inputNames[i];
    return { name, shape: tensor.shape, layout: 'native' };
  });
  const converters = options.converters ? new Map([...LAYER_CONVERTERS, ...Object.entries(options.converters)]) : LAYER_CONVERTERS;
  const context = new ConversionContext(graph, converters);
  const outputs = context.convertGraph(model, inputs);
  outputs.forEach((value, i) => {
    // Outputs leave in tfjs' order under the name asked for.
    const native = context.toNative(value).name;
    const scaler = i === 0 ? options.unstandardizeOutput : undefined;
    const raw = scaler ? unstandardizeNodes(graph, native, value.shape, scaler) : native;
    graph.node('Identity', [raw], {}, { name: outputNames[i], outputs: [outputNames[i]] });
    graph.addOutput({ name: outputNames[i], shape: value.shape });
  });
  return {
    irVersion: IR_VERSION,
    opsetImport: [{ domain: '', version: OPSET_VERSION }],
    producerName: PACKAGE_NAME,
    producerVersion: PACKAGE_VERSION,
    docString: options.docString,
    graph: graph.build(options.graphName ?? model.name),
    metadataProps: Object.entries(options.metadata ?? {}).map(([key, value]) => ({ key, value })),
  };
}

/**
 * Converts a tfjs layers model and encodes it: the bytes of an `.onnx`
 * file, signed with aekit's checksum (see `signModelBytes`). See
 * {@link convertLayersModel}.
 *
 * @example
 * ```ts
 * import { writeFile } from 'node:fs/promises';
 * import { tf } from '@aekit/core';
 * import { toOnnx } from '@aekit/export-onnx';
 *
 * declare const model: tf.LayersModel; // any tfjs layers model of supported layers
 * await writeFile('model.onnx', toOnnx(model, { inputNames: ['input'], graphName: 'denoiser' }));
 * ```
 * @param model - The tfjs layers model.
 * @param options - Input and output names, metadata and graph name; all optional.
 */
export function toOnnx(model: tf.LayersModel, options: ConvertOptions = {}): Uint8Array {
  return signModelBytes(encodeModel(convertLayersModel(model, options)));
}

/**
 * The tfjs layer classes the converter translates, sorted.
 *
 * @example
 * ```ts
 * import { supportedLayers } from '@aekit/export-onnx';
 *
 * supportedLayers(); // ['Activation', 'Add', 'AlphaDropout', 'Average', 'AveragePooling1D', 'AveragePooling2D', ...] (47 classes)
 * ```
 */
export function supportedLayers(): string[] {
  return [...LAYER_CONVERTERS.keys()].sort();
}

function defaultOutputNames(model: tf.LayersModel): string[] {
  const seen = new Set<string>();
  return model.outputs.map((tensor) => {
    const base = tensor.tensorIndex ? `${tensor.sourceLayer.name}_${tensor.tensorIndex}` : tensor.sourceLayer.name;
    let name = base;
    for (let i = 2; seen.has(name); i++) name = `${base}_${i}`;
    seen.add(name);
    return name;
  });
}

/** The scaler's statistics as constants shaped like one item, checking they fit it. */
function scalerConstants(graph: GraphBuilder, shape: readonly (number | null)[], scaler: FeatureScaler, base: string): { mean: string; std: string } {
  const item = shape.slice(1).map((d) => d ?? 0);
  const size = item.reduce((a, b) => a * b, 1);
  if (scaler.mean.length !== size || scaler.std.length !== size) {
    throw new Error(`a scaler of ${scaler.mean.length} features does not fit items of shape [${item}]`);
  }
  return { mean: graph.constant(`${base}_mean`, scaler.mean, item), std: graph.constant(`${base}_std`, scaler.std, item) };
}

function standardizeNodes(graph: GraphBuilder, input: string, shape: readonly (number | null)[], scaler: FeatureScaler): string {
  const { mean, std } = scalerConstants(graph, shape, scaler, 'input_scaler');
  return graph.op('Div', [graph.op('Sub', [input, mean], {}, 'standardize_sub'), std], {}, 'standardize_div');
}

function unstandardizeNodes(graph: GraphBuilder, output: string, shape: readonly (number | null)[], scaler: FeatureScaler): string {
  const { mean, std } = scalerConstants(graph, shape, scaler, 'output_scaler');
  return graph.op('Add', [graph.op('Mul', [output, std], {}, 'unstandardize_mul'), mean], {}, 'unstandardize_add');
}
