/**
 * The ONNX protobuf schema, as compiled by the `onnx-proto` package
 * (protobufjs static code generated from onnx.proto of ONNX 1.10, IR
 * version 8). All encoding and decoding of `.onnx` files goes through it.
 */
import onnxProto from 'onnx-proto';
import type { onnx as OnnxTypes } from 'onnx-proto';

/** The `onnx` protobuf namespace: `ModelProto`, `GraphProto`, `NodeProto` and the rest. */
export const onnx = onnxProto.onnx;

/** Types of the `onnx` protobuf namespace (`OnnxTypes.IModelProto` and so on). */
export type { OnnxTypes };

/** The IR version written: 8 is what ONNX 1.10 to 1.12 (and python onnx 1.12's checker) read. */
export const IR_VERSION = 8;

/** The default-domain opset written: 17, the newest opset python onnx 1.12 knows. */
export const OPSET_VERSION = 17;

/**
 * Decodes the bytes of an `.onnx` file.
 *
 * @param bytes - The file's contents.
 */
export function decodeModel(bytes: Uint8Array): OnnxTypes.ModelProto {
  return onnx.ModelProto.decode(bytes);
}

/**
 * Encodes a model as the bytes of an `.onnx` file.
 *
 * @param model - The ONNX model to encode.
 */
export function encodeModel(model: OnnxTypes.IModelProto): Uint8Array {
  return onnx.ModelProto.encode(model).finish();
}
