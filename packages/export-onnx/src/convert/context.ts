import { tf } from '@aekit/core';
import { attr, type GraphBuilder } from '../onnx/graph-builder.js';
import { UnsupportedLayerError } from './errors.js';

/** A tfjs shape: the batch dimension (and any other that varies) is `null`. */
export type Shape = readonly (number | null)[];

/**
 * How an ONNX tensor's axes are ordered relative to the tfjs tensor it
 * stands for. tfjs is channels-last (NHWC, NWC); ONNX convolutions and
 * pooling are channels-first (NCHW, NCW). Values in a run of convolutional
 * layers stay `channelsFirst` and are transposed back to `native` only where
 * a layer needs tfjs' order (Flatten, Reshape, Dense, graph outputs).
 */
export type Layout = 'native' | 'channelsFirst';

/** A tensor of the ONNX graph under construction, as the converters see it. */
export interface OnnxValue {
  /** Tensor name in the ONNX graph. */
  readonly name: string;
  /** Shape in tfjs terms (channels last), whatever the layout. */
  readonly shape: Shape;
  /** Axis order of the ONNX tensor; see {@link Layout}. */
  readonly layout: Layout;
}

/** One application of a layer to converted inputs. */
export interface LayerCall {
  /** The tfjs layer. */
  readonly layer: tf.layers.Layer;
  /** Its tfjs class name, e.g. `Conv2D`. */
  readonly className: string;
  /** Its serialised config (`layer.getConfig()`): strides, padding, activation… */
  readonly config: Readonly<Record<string, unknown>>;
  /** The converted inputs. */
  readonly inputs: readonly OnnxValue[];
  /** Shapes of the layer's outputs in tfjs terms, from `computeOutputShape`. */
  readonly outputShapes: readonly Shape[];
}

/**
 * Turns one layer call into ONNX nodes and returns its outputs.
 *
 * @param call - The layer call: the layer, its inputs and its config.
 * @param ctx - The conversion under way: its graph builder, weights and value layouts.
 */
export type LayerConverter = (call: LayerCall, ctx: ConversionContext) => OnnxValue[];

/** A weight of a layer as plain numbers. */
export interface Weight {
  /** Path of the variable, e.g. `dense_Dense1/kernel`. */
  readonly path: string;
  /** Last part of the path without a uniqueness suffix, e.g. `kernel`, `moving_mean`. */
  readonly role: string;
  /** The values, row-major. */
  readonly values: Float32Array;
  /** The tfjs shape. */
  readonly shape: number[];
}

/** A graph that tfjs models and nested models both are: inputs, outputs and the layers in between. */
export interface SymbolicGraph {
  readonly inputs: tf.SymbolicTensor[];
  readonly outputs: tf.SymbolicTensor[];
}

/**
 * What layer converters work with: the graph builder, layout conversions,
 * weights, and the dispatch to other converters (for wrappers and nested
 * models).
 *
 * @example
 * ```ts
 * import { tf } from '@aekit/core';
 * import { toOnnx, type LayerConverter } from '@aekit/export-onnx';
 *
 * // A converter for a custom layer that squares its input: one ONNX Mul node, added through the context's graph builder.
 * const square: LayerConverter = (call, ctx) => {
 *   const [x] = call.inputs;
 *   return [{ ...x, name: ctx.graph.op('Mul', [x.name, x.name], {}, call.layer.name) }];
 * };
 * declare const model: tf.LayersModel; // holds layers of class 'Square'
 * const bytes = toOnnx(model, { converters: { Square: square } });
 * ```
 */
export class ConversionContext {
  private readonly nativeOf = new Map<string, OnnxValue>();
  private readonly channelsFirstOf = new Map<string, OnnxValue>();
  private readonly weightsOf = new Map<tf.layers.Layer, Weight[]>();

  /**
   * @param graph - Where nodes go.
   * @param converters - Converter per tfjs class name.
   */
  constructor(
    readonly graph: GraphBuilder,
    private readonly converters: ReadonlyMap<string, LayerConverter>,
  ) {}

  /**
   * The value in tfjs' own axis order, adding a Transpose if it is channels-first.
   *
   * @param value - The ONNX value to put in tfjs' order.
   */
  toNative(value: OnnxValue): OnnxValue {
    return value.layout === 'native' ? value : this.relayout(value, 'native');
  }

  /**
   * The value with channels on axis 1 (ONNX's convolution layout), adding a Transpose if needed.
   *
   * @param value - The ONNX value to put in channels-first order.
   */
  toChannelsFirst(value: OnnxValue): OnnxValue {
    return value.layout === 'channelsFirst' ? value : this.relayout(value, 'channelsFirst');
  }

  /**
   * Moves the channel axis: `[N, d1, …, dk, C]` ↔ `[N, C, d1, …, dk]`. When
   * only axes of size 1 move (one channel, or a 1×1 map) the data's order
   * does not change, so a Reshape (free in onnxruntime) does instead of a
   * Transpose. Each conversion is made once and shared by all readers.
   */
  private relayout(value: OnnxValue, layout: Layout): OnnxValue {
    const [cache, inverse] = layout === 'native' ? [this.nativeOf, this.channelsFirstOf] : [this.channelsFirstOf, this.nativeOf];
    const known = cache.get(value.name);
    if (known) return known;
    const rank = value.shape.length;
    const perm = layout === 'native' ? [0, ...range(2, rank), 1] : [0, rank - 1, ...range(1, rank - 1)];
    const onnxShape = value.layout === 'native' ? value.shape : channelsFirstShape(value.shape);
    const targetShape = perm.map((axis) => onnxShape[axis]);
    const prefix = `${value.name}/to_${layout === 'native' ? 'channels_last' : 'channels_first'}`;
    const keepsOrder = onnxShape.slice(1).every((d) => d !== null) && sameOrderOfLargeAxes(onnxShape, perm);
    const name = keepsOrder
      ? this.graph.op('Reshape', [value.name, this.graph.int64s([0, ...(targetShape.slice(1) as number[])])], {}, prefix)
      : this.graph.op('Transpose', [value.name], { perm: attr.ints(perm) }, prefix);
    const result: OnnxValue = { name, shape: value.shape, layout };
    cache.set(value.name, result);
    inverse.set(name, value);
    return result;
  }

  /**
   * The ONNX axis of a tfjs axis of a value: the same in native layout; in
   * channels-first layout the last axis moves to 1 and the others after it.
   *
   * @param value - The ONNX value the axis belongs to, with its layout.
   * @param tfAxis - The axis in tfjs' order; negative counts from the end.
   */
  onnxAxis(value: OnnxValue, tfAxis: number): number {
    const rank = value.shape.length;
    const axis = tfAxis < 0 ? tfAxis + rank : tfAxis;
    if (value.layout === 'native' || axis === 0) return axis;
    return axis === rank - 1 ? 1 : axis + 1;
  }

  /**
   * The weights of a layer, in the order `getWeights` returns them (read once per layer).
   *
   * @param layer - The layer whose weights are wanted.
   */
  weights(layer: tf.layers.Layer): Weight[] {
    let weights = this.weightsOf.get(layer);
    if (!weights) {
      weights = layer.weights.map((variable) => {
        const tensor = variable.read();
        const path = variable.originalName ?? variable.name;
        return {
          path,
          role: path.split('/').pop()!.replace(/_\d+$/, ''),
          values: Float32Array.from(tensor.dataSync() as Float32Array),
          shape: [...tensor.shape],
        };
      });
      this.weightsOf.set(layer, weights);
    }
    return weights;
  }

  /**
   * The weight of a layer with the given role (`kernel`, `bias`…), or undefined.
   *
   * @param layer - The layer whose weight is wanted.
   * @param role - Role of the weight, the end of its name: `kernel`, `bias`, `recurrent_kernel`…
   */
  weight(layer: tf.layers.Layer, role: string): Weight | undefined {
    return this.weights(layer).find((w) => w.role === role);
  }

  /**
   * Converts one call of a layer. Nested models are expanded in place;
   * other layers go to the converter registered for their class.
   *
   * @throws UnsupportedLayerError naming the layer and its type when there is no converter.
   * @param layer - The tfjs layer being called.
   * @param inputs - ONNX values of the call's inputs.
   */
  convertLayer(layer: tf.layers.Layer, inputs: readonly OnnxValue[]): OnnxValue[] {
    if (layer instanceof tf.LayersModel) return this.convertGraph(layer, inputs);
    const className = layer.getClassName();
    const converter = this.converters.get(className);
    if (!converter) throw new UnsupportedLayerError(layer.name, className);
    const config = layer.getConfig() as Record<string, unknown>;
    const outputShapes = computeOutputShapes(layer, inputs);
    const outputs = converter({ layer, className, config, inputs, outputShapes }, this);
    if (outputs.length !== outputShapes.length) {
      throw new UnsupportedLayerError(layer.name, className, `converter made ${outputs.length} outputs, the layer has ${outputShapes.length}`);
    }
    return outputs;
  }

  /**
   * Converts the layers between a graph's inputs and outputs, given ONNX
   * values for its inputs; returns the values of its outputs. Each layer
   * call (a layer applied to particular inputs) is converted once, however
   * many of its outputs are used.
   *
   * @param graph - The model (or nested model) whose layers are converted.
   * @param inputValues - ONNX values of the graph's inputs, in the order of its inputs.
   */
  convertGraph(graph: SymbolicGraph, inputValues: readonly OnnxValue[]): OnnxValue[] {
    const byTensor = new Map<number, OnnxValue>();
    graph.inputs.forEach((tensor, i) => byTensor.set(tensor.id, inputValues[i]));
    const byCall = new Map<string, OnnxValue[]>();
    const visit = (tensor: tf.SymbolicTensor): OnnxValue => {
      const known = byTensor.get(tensor.id);
      if (known) return known;
      const layer = tensor.sourceLayer;
      if (layer.getClassName() === 'InputLayer') {
        throw new UnsupportedLayerError(layer.name, 'InputLayer', 'the graph reads an input that is not one of the model inputs');
      }
      const key = `${layer.id}:${tensor.nodeIndex}`;
      let outputs = byCall.get(key);
      if (!outputs) {
        checkCallArgs(layer, tensor.callArgs);
        outputs = this.convertLayer(layer, tensor.inputs.map(visit));
        byCall.set(key, outputs);
      }
      const value = outputs[tensor.tensorIndex ?? 0];
      byTensor.set(tensor.id, value);
      return value;
    };
    return graph.outputs.map(visit);
  }
}

/** `layer.computeOutputShape` as a list of shapes, one per output. */
function computeOutputShapes(layer: tf.layers.Layer, inputs: readonly { shape: Shape }[]): Shape[] {
  const inputShape = inputs.length === 1 ? [...inputs[0].shape] : inputs.map((v) => [...v.shape]);
  const result = layer.computeOutputShape(inputShape as tf.Shape | tf.Shape[]);
  return result.length > 0 && Array.isArray(result[0]) ? (result as tf.Shape[]) : [result as tf.Shape];
}

function checkCallArgs(layer: tf.layers.Layer, callArgs: Record<string, unknown> | undefined): void {
  for (const key of ['mask', 'initialState', 'constants']) {
    const value = callArgs?.[key];
    if (value !== undefined && value !== null) {
      throw new UnsupportedLayerError(layer.name, layer.getClassName(), `it is called with '${key}', which the converter does not support`);
    }
  }
}

/** The ONNX shape of a channels-first value from its tfjs shape. */
function channelsFirstShape(shape: Shape): Shape {
  return [shape[0], shape[shape.length - 1], ...shape.slice(1, -1)];
}

/** True when a permutation keeps the axes longer than 1 in their order, so it moves no data. */
function sameOrderOfLargeAxes(shape: Shape, perm: readonly number[]): boolean {
  const large = perm.filter((axis) => shape[axis] !== 1);
  return large.every((axis, i) => i === 0 || axis > large[i - 1]);
}

/** Integers `from, from+1, …, to-1`. */
function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);
}
