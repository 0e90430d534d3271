// Runs in the server's main thread and in its codec thread, so it imports
// no module that loads TensorFlow.js: zod itself, and export-onnx's items.
import { describeValue, InvalidInputError, writeFiniteNumbers, type FlatBatch } from '@aekit/export-onnx/items';
import { z } from 'zod';

/** The tensor data types of the Open Inference Protocol. */
export const V2_DATATYPES = ['BOOL', 'UINT8', 'UINT16', 'UINT32', 'UINT64', 'INT8', 'INT16', 'INT32', 'INT64', 'FP16', 'FP32', 'FP64', 'BYTES'] as const;

/** A tensor as model metadata describes it: name, data type, shape with -1 for a size that varies (the batch). */
export interface TensorMetadata {
  /** Tensor name, e.g. `input`. */
  readonly name: string;
  /** `FP32`; `FP64` for the score (squared errors of raw rows can exceed float32's range). */
  readonly datatype: 'FP32' | 'FP64';
  /** Dimensions, batch first; -1 where the size varies. */
  readonly shape: readonly number[];
}

/** A V2 parameter value: the protocol allows strings, numbers and booleans. */
export type ParameterValue = string | number | boolean;

/** An output the client asked for, and whether it wants it as binary data. */
export interface RequestedOutput {
  /** Output name. */
  readonly name: string;
  /** Return the values as raw bytes after the JSON (the binary data extension). */
  readonly binary: boolean;
}

/** An inference request after checking, ready for the model. */
export interface CheckedInferRequest {
  /** The request's `id`, to echo in the response. */
  readonly id?: string;
  /** The request's `parameters`. */
  readonly parameters: Readonly<Record<string, ParameterValue>>;
  /** The input tensor's values, flat, and its batch size. */
  readonly input: FlatBatch;
  /** The outputs to return, in the order to return them. */
  readonly outputs: readonly RequestedOutput[];
}

const parameters = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]));

// The envelope of $inference_request. Unknown keys are ignored (clients
// such as Triton's add `model_name`); tensor data is checked by hand below,
// which is faster than a schema for hundreds of thousands of numbers.
const inferRequestSchema = z.object({
  id: z.string().optional(),
  parameters: parameters.optional(),
  inputs: z
    .array(
      z.object({
        name: z.string(),
        shape: z.array(z.number().int().nonnegative()),
        datatype: z.string(),
        parameters: parameters.optional(),
        data: z.unknown().optional(),
      }),
    )
    .min(1),
  outputs: z.array(z.object({ name: z.string(), parameters: parameters.optional() })).optional(),
});

/** What a model takes and gives, for checking a request against. */
export interface TensorSignature {
  /** The model's single input. */
  readonly input: TensorMetadata;
  /** Its outputs. */
  readonly outputs: readonly TensorMetadata[];
}

/**
 * Checks a V2 inference request against a model: exactly its one input by
 * name, datatype `FP32`, the model's shape with a batch of 1 to `maxBatch`,
 * and exactly as many finite values as the shape holds, given as JSON
 * `data` (flat or nested in the shape) or, with the binary data extension,
 * as `binary_data_size` bytes of little-endian float32 from the binary part
 * of the body. Requested outputs must exist.
 *
 * @param body - The parsed JSON part of the body.
 * @param binary - The bytes after the JSON (empty without the binary extension).
 * @param model - The model's input and outputs to check the request against.
 * @param maxBatch - Most items (first dimension of the input's shape) the request may hold.
 * @throws InvalidInputError naming the field and what is wrong; nothing reaches the model then.
 */
export function checkInferRequest(body: unknown, binary: Uint8Array, model: TensorSignature, maxBatch: number): CheckedInferRequest {
  const parsed = inferRequestSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue.path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`)).join('') || 'body';
    throw new InvalidInputError(`${path}: ${issue.message}`);
  }
  const request = parsed.data;
  const expected = model.input;
  const unknown = request.inputs.find((i) => i.name !== expected.name);
  if (unknown) throw new InvalidInputError(`unexpected inference input '${unknown.name}'; the model's only input is '${expected.name}'`);
  if (request.inputs.length > 1) throw new InvalidInputError(`input '${expected.name}' is given ${request.inputs.length} times`);
  const [input] = request.inputs;
  const where = `input '${input.name}'`;
  refuseExtensions(input.parameters, `${where}: parameters`);
  if (input.datatype !== expected.datatype) {
    const known = (V2_DATATYPES as readonly string[]).includes(input.datatype) ? '' : ' (not a V2 datatype)';
    throw new InvalidInputError(`${where}: datatype ${JSON.stringify(input.datatype)}${known} does not match the model's ${expected.datatype}`);
  }
  checkShape(input.shape, expected.shape, maxBatch, where);
  const size = input.shape.reduce((a, b) => a * b, 1);
  const binarySize = input.parameters?.binary_data_size;
  let data: Float32Array;
  if (binarySize !== undefined) {
    if (typeof binarySize !== 'number' || !Number.isInteger(binarySize) || binarySize < 0) {
      throw new InvalidInputError(`${where}: parameters.binary_data_size must be a whole number of bytes, got ${JSON.stringify(binarySize)}`);
    }
    if (input.data !== undefined) throw new InvalidInputError(`${where}: give either data or parameters.binary_data_size, not both`);
    if (binarySize !== size * 4) throw new InvalidInputError(`${where}: binary_data_size is ${binarySize} bytes; shape [${input.shape}] of FP32 needs ${size * 4}`);
    if (binary.length !== binarySize) {
      throw new InvalidInputError(`${where}: the body holds ${binary.length} bytes of binary data after the JSON header, binary_data_size says ${binarySize}`);
    }
    data = readFloat32(binary, where);
  } else {
    if (binary.length > 0) throw new InvalidInputError(`the body has ${binary.length} bytes after the JSON header but no input has parameters.binary_data_size`);
    if (input.data === undefined) throw new InvalidInputError(`${where}: expected data (or parameters.binary_data_size with the binary data extension)`);
    data = flattenTensorData(input.data, input.shape, size, where);
  }
  const defaultBinary = parameterFlag(request.parameters, 'binary_data_output', 'parameters') ?? false;
  const requested = request.outputs ?? model.outputs.map((o) => ({ name: o.name, parameters: undefined }));
  const first = new Map<string, number>();
  const outputs = requested.map((output, i) => {
    if (!model.outputs.some((o) => o.name === output.name)) {
      throw new InvalidInputError(`outputs[${i}]: unexpected inference output '${output.name}'; the model gives ${model.outputs.map((o) => `'${o.name}'`).join(', ')}`);
    }
    // Each copy would be computed into the response again: a small request could ask for an unbounded answer.
    const earlier = first.get(output.name);
    if (earlier !== undefined) throw new InvalidInputError(`outputs[${i}]: output '${output.name}' is already requested by outputs[${earlier}]; ask for each output once`);
    first.set(output.name, i);
    refuseExtensions(output.parameters, `outputs[${i}].parameters`);
    return { name: output.name, binary: parameterFlag(output.parameters, 'binary_data', `outputs[${i}].parameters`) ?? defaultBinary };
  });
  return { id: request.id, parameters: request.parameters ?? {}, input: { data, count: input.shape[0] }, outputs };
}

function checkShape(shape: readonly number[], expected: readonly number[], maxBatch: number, where: string): void {
  const wanted = `[${expected.join(',')}]`;
  if (shape.length !== expected.length) throw new InvalidInputError(`${where}: shape [${shape}] does not match the model's ${wanted}`);
  shape.forEach((d, axis) => {
    if (expected[axis] !== -1 && d !== expected[axis]) throw new InvalidInputError(`${where}: shape [${shape}] does not match the model's ${wanted}`);
  });
  if (shape[0] < 1 || shape[0] > maxBatch) throw new InvalidInputError(`${where}: a batch of ${shape[0]} is outside 1 to ${maxBatch}`);
}

/** Parameters of protocol extensions `ae serve` does not implement, and what to do instead. */
const UNSUPPORTED_PARAMETERS: Readonly<Record<string, string>> = {
  shared_memory_region: 'the shared memory extension is not supported; send the tensor in the body (JSON data or binary_data_size)',
  classification: 'the classification extension is not supported; ask for the output itself',
};

function refuseExtensions(params: Readonly<Record<string, ParameterValue>> | undefined, where: string): void {
  for (const key of Object.keys(params ?? {})) {
    const why = UNSUPPORTED_PARAMETERS[key];
    if (why) throw new InvalidInputError(`${where}.${key}: ${why}`);
  }
}

function parameterFlag(params: Readonly<Record<string, ParameterValue>> | undefined, key: string, where: string): boolean | undefined {
  const value = params?.[key];
  if (value === undefined || typeof value === 'boolean') return value;
  throw new InvalidInputError(`${where}.${key}: expected true or false, got ${JSON.stringify(value)}`);
}

/**
 * Tensor data in JSON: row-major, either flat (`size` numbers) or nested
 * exactly in `shape`, as the protocol allows. Every element must be a
 * finite number.
 */
function flattenTensorData(data: unknown, shape: readonly number[], size: number, where: string): Float32Array {
  if (!Array.isArray(data)) throw new InvalidInputError(`${where}: data must be an array, got ${describeValue(data)}`);
  const out = new Float32Array(size);
  const nested = data.length > 0 && Array.isArray(data[0]);
  if (!nested) {
    if (data.length !== size) throw new InvalidInputError(`${where}: data has ${data.length} elements; shape [${shape}] needs ${size}`);
    writeFiniteNumbers(data, out, 0, `${where}: data`);
    return out;
  }
  let offset = 0;
  const walk = (value: unknown, axis: number, path: string): void => {
    if (!Array.isArray(value) || value.length !== shape[axis]) {
      throw new InvalidInputError(`${where}: data${path} must be an array of ${shape[axis]} (shape [${shape.slice(axis)}]), got ${describeValue(value)}`);
    }
    if (axis === shape.length - 1) {
      offset = writeFiniteNumbers(value, out, offset, `${where}: data${path}`);
      return;
    }
    value.forEach((child, i) => walk(child, axis + 1, `${path}[${i}]`));
  };
  walk(data, 0, '');
  return out;
}

function readFloat32(bytes: Uint8Array, where: string): Float32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(bytes.length / 4);
  for (let i = 0; i < out.length; i++) {
    const v = view.getFloat32(i * 4, true);
    if (!Number.isFinite(v)) throw new InvalidInputError(`${where}: binary element ${i} is ${v}, expected a finite number`);
    out[i] = v;
  }
  return out;
}
