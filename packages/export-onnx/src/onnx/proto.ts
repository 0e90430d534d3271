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
 * @example
 * ```ts
 * import { readFile } from 'node:fs/promises';
 * import { decodeModel } from '@aekit/export-onnx';
 *
 * const model = decodeModel(await readFile('mnist.onnx'));
 * console.log(model.producerName, model.graph?.input?.map((input) => input.name)); // '@aekit/export-onnx' ['input']
 * ```
 * @param bytes - The file's contents.
 */
export function decodeModel(bytes: Uint8Array): OnnxTypes.ModelProto {
  return onnx.ModelProto.decode(bytes);
}

/**
 * Encodes a model as the bytes of an `.onnx` file.
 *
 * @example
 * ```ts
 * import { writeFile } from 'node:fs/promises';
 * import type { Autoencoder } from '@aekit/core';
 * import { autoencoderToOnnxModel, encodeModel } from '@aekit/export-onnx';
 *
 * declare const autoencoder: Autoencoder;
 * const proto = autoencoderToOnnxModel(autoencoder, { part: 'decoder' });
 * proto.docString = 'decoder of the MNIST run of 7 December';
 * await writeFile('mnist.decoder.onnx', encodeModel(proto)); // unsigned: `ae infer` then needs --allow-unsigned
 * ```
 * @param model - The ONNX model to encode.
 */
export function encodeModel(model: OnnxTypes.IModelProto): Uint8Array {
  return onnx.ModelProto.encode(model).finish();
}
