import { onnx, type OnnxTypes } from './proto.js';

/** An ONNX node attribute value with its type spelled out (ONNX tells 1 from 1.0). */
export type AttributeValue =
  | { type: 'float'; value: number }
  | { type: 'int'; value: number }
  | { type: 'string'; value: string }
  | { type: 'floats'; value: readonly number[] }
  | { type: 'ints'; value: readonly number[] }
  | { type: 'strings'; value: readonly string[] };

/** Builders for {@link AttributeValue}s: `{ alpha: attr.float(0.2), axis: attr.int(1) }`. */
export const attr = {
  /** A float attribute. */
  float: (value: number): AttributeValue => ({ type: 'float', value }),
  /** An integer attribute. */
  int: (value: number): AttributeValue => ({ type: 'int', value }),
  /** A string attribute. */
  string: (value: string): AttributeValue => ({ type: 'string', value }),
  /** A list-of-floats attribute. */
  floats: (value: readonly number[]): AttributeValue => ({ type: 'floats', value }),
  /** A list-of-integers attribute. */
  ints: (value: readonly number[]): AttributeValue => ({ type: 'ints', value }),
  /** A list-of-strings attribute. */
  strings: (value: readonly string[]): AttributeValue => ({ type: 'strings', value }),
};

/** Attributes of one node by name; undefined entries are left out. */
export type Attributes = Record<string, AttributeValue | undefined>;

/** Element types the builder writes constants in. */
export type ConstantType = 'float32' | 'float64' | 'int64';

/** A graph input or output: its name and shape, with `null` for a dimension that varies (the batch). */
export interface TensorSignature {
  /** Tensor name in the ONNX graph. */
  name: string;
  /** Dimensions; `null` for a dynamic one. */
  shape: readonly (number | null)[];
  /** Element type; `float32` unless given (`float64` for values float32 cannot hold, such as scores of raw rows). */
  type?: 'float32' | 'float64';
}

const ELEMENT_TYPES = {
  float32: { dataType: onnx.TensorProto.DataType.FLOAT, bytes: float32Bytes },
  float64: { dataType: onnx.TensorProto.DataType.DOUBLE, bytes: float64Bytes },
  int64: { dataType: onnx.TensorProto.DataType.INT64, bytes: int64Bytes },
} as const;

const encoder = new TextEncoder();

/**
 * Collects the nodes, initializers, inputs and outputs of one ONNX graph,
 * handing out unique tensor and node names. Layer converters add nodes
 * through it; {@link GraphBuilder.build} returns the `GraphProto`.
 *
 * @example
 * ```ts
 * import { attr, GraphBuilder } from '@aekit/export-onnx';
 *
 * const graph = new GraphBuilder();
 * graph.addInput({ name: 'x', shape: [null, 4] });
 * const y = graph.op('LeakyRelu', ['x'], { alpha: attr.float(0.2) });
 * graph.addOutput({ name: y, shape: [null, 4] });
 * const proto = graph.build('leaky'); // a GraphProto with one LeakyRelu node, x -> 'LeakyRelu/LeakyRelu:0'
 * ```
 */
export class GraphBuilder {
  private readonly nodes: OnnxTypes.INodeProto[] = [];
  private readonly initializers: OnnxTypes.ITensorProto[] = [];
  private readonly inputs: OnnxTypes.IValueInfoProto[] = [];
  private readonly outputs: OnnxTypes.IValueInfoProto[] = [];
  private readonly taken = new Set<string>();
  private readonly constantCache = new Map<string, string>();

  /**
   * A name not used yet in this graph: `base` itself, or `base_2`, `base_3`…
   * Tensor and node names share one namespace, which keeps graphs readable.
   *
   * @param base - The name wanted.
   */
  uniqueName(base: string): string {
    let name = base;
    for (let i = 2; this.taken.has(name); i++) name = `${base}_${i}`;
    this.taken.add(name);
    return name;
  }

  /**
   * Reserves a name exactly as given (graph inputs and outputs); throws if it is taken.
   *
   * @param name - The name to reserve.
   */
  reserveName(name: string): string {
    if (this.taken.has(name)) throw new Error(`the name '${name}' is used twice in the ONNX graph`);
    this.taken.add(name);
    return name;
  }

  /**
   * Adds a node and returns the names of its outputs.
   *
   * @param opType - ONNX operator, e.g. `Conv`.
   * @param inputs - Input tensor names; `''` for a skipped optional input.
   * @param attributes - Attributes by name.
   * @param options - `name`: prefix for the node and its outputs (usually the
   *   layer's name); `outputs`: how many outputs, or their exact names.
   * @param options.name - Prefix for the node and its outputs, usually the layer's name.
   * @param options.outputs - How many outputs the node has (1 by default), or their exact names.
   */
  node(
    opType: string,
    inputs: readonly string[],
    attributes: Attributes = {},
    options: { name?: string; outputs?: number | readonly string[] } = {},
  ): string[] {
    const prefix = options.name ?? opType;
    const nodeName = this.uniqueName(`${prefix}/${opType}`);
    const count = typeof options.outputs === 'number' ? options.outputs : 1;
    const outputs =
      typeof options.outputs === 'object'
        ? [...options.outputs]
        : Array.from({ length: count }, (_, i) => this.uniqueName(`${nodeName}:${i}`));
    this.nodes.push({
      name: nodeName,
      opType,
      input: [...inputs],
      output: outputs,
      attribute: Object.entries(attributes)
        .filter((entry): entry is [string, AttributeValue] => entry[1] !== undefined)
        .map(([name, value]) => encodeAttribute(name, value)),
    });
    return outputs;
  }

  /**
   * Adds a node with one output and returns that output's name.
   *
   * @param opType - ONNX operator, e.g. `Relu`.
   * @param inputs - Input tensor names; `''` for a skipped optional input.
   * @param attributes - Attributes by name.
   * @param name - Prefix for the node and its output, usually the layer's name.
   */
  op(opType: string, inputs: readonly string[], attributes: Attributes = {}, name?: string): string {
    return this.node(opType, inputs, attributes, { name })[0];
  }

  /**
   * Adds a constant tensor (an initializer) and returns its name.
   *
   * @param name - Base name, e.g. `dense_1/kernel`.
   * @param values - The values, row-major.
   * @param dims - Its shape.
   * @param type - Element type; `float32` unless given.
   */
  constant(name: string, values: ArrayLike<number>, dims: readonly number[], type: ConstantType = 'float32'): string {
    const size = dims.reduce((a, b) => a * b, 1);
    if (values.length !== size) {
      throw new Error(`constant '${name}' has ${values.length} values, its shape [${dims}] needs ${size}`);
    }
    const unique = this.uniqueName(name);
    this.initializers.push({
      name: unique,
      dims: [...dims],
      dataType: ELEMENT_TYPES[type].dataType,
      rawData: ELEMENT_TYPES[type].bytes(values),
    });
    return unique;
  }

  /**
   * A 1-D int64 constant (shapes, axes, pads), shared by every node that
   * asks for the same values.
   *
   * @param values - The constant's values.
   */
  int64s(values: readonly number[]): string {
    const key = `i64:${values.join(',')}`;
    let name = this.constantCache.get(key);
    if (!name) {
      name = this.constant(`const_i64_${values.map((v) => String(v).replace('-', 'm')).join('_') || 'empty'}`, values, [values.length], 'int64');
      this.constantCache.set(key, name);
    }
    return name;
  }

  /**
   * A 1-D float32 constant, shared by every node that asks for the same values.
   *
   * @param values - The constant's values.
   */
  float32s(values: readonly number[]): string {
    const key = `f32:${values.join(',')}`;
    let name = this.constantCache.get(key);
    if (!name) {
      name = this.constant('const_f32', values, [values.length]);
      this.constantCache.set(key, name);
    }
    return name;
  }

  /**
   * A float32 scalar constant, shared like {@link GraphBuilder.float32s}.
   *
   * @param value - The constant's value.
   */
  scalar(value: number): string {
    const key = `scalar:${value}`;
    let name = this.constantCache.get(key);
    if (!name) {
      name = this.constant('const_scalar', [value], []);
      this.constantCache.set(key, name);
    }
    return name;
  }

  /**
   * Declares a float32 graph input. Its name must already be reserved.
   *
   * @param signature - Name and shape of the input (`null` for a dynamic dimension).
   */
  addInput(signature: TensorSignature): void {
    this.inputs.push(valueInfo(signature));
  }

  /**
   * Declares a float32 graph output. Its name must already be reserved.
   *
   * @param signature - Name and shape of the output (`null` for a dynamic dimension).
   */
  addOutput(signature: TensorSignature): void {
    this.outputs.push(valueInfo(signature));
  }

  /**
   * The finished graph.
   *
   * @param name - Name of the graph.
   */
  build(name: string): OnnxTypes.IGraphProto {
    return { name, node: this.nodes, initializer: this.initializers, input: this.inputs, output: this.outputs };
  }
}

function encodeAttribute(name: string, value: AttributeValue): OnnxTypes.IAttributeProto {
  const T = onnx.AttributeProto.AttributeType;
  switch (value.type) {
    case 'float':
      return { name, type: T.FLOAT, f: value.value };
    case 'int':
      return { name, type: T.INT, i: value.value };
    case 'string':
      return { name, type: T.STRING, s: encoder.encode(value.value) };
    case 'floats':
      return { name, type: T.FLOATS, floats: [...value.value] };
    case 'ints':
      return { name, type: T.INTS, ints: [...value.value] };
    case 'strings':
      return { name, type: T.STRINGS, strings: value.value.map((s) => encoder.encode(s)) };
  }
}

function valueInfo({ name, shape, type }: TensorSignature): OnnxTypes.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType: ELEMENT_TYPES[type ?? 'float32'].dataType,
        shape: { dim: shape.map((d, i) => (d === null ? { dimParam: i === 0 ? 'batch' : `${name}_dim${i}` } : { dimValue: d })) },
      },
    },
  };
}

// ONNX raw_data is little-endian whatever the host; DataView makes that explicit.
function float32Bytes(values: ArrayLike<number>): Uint8Array {
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i], true);
  return bytes;
}

function float64Bytes(values: ArrayLike<number>): Uint8Array {
  const bytes = new Uint8Array(values.length * 8);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat64(i * 8, values[i], true);
  return bytes;
}

function int64Bytes(values: ArrayLike<number>): Uint8Array {
  const bytes = new Uint8Array(values.length * 8);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    // Slice ends "to the very end" are written as the int64 extremes.
    const big = v === Infinity ? 2n ** 63n - 1n : v === -Infinity ? -(2n ** 63n) : BigInt(Math.trunc(v));
    view.setBigInt64(i * 8, big, true);
  }
  return bytes;
}
