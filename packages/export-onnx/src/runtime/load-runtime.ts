import type * as onnxruntime from 'onnxruntime-node';
import { MissingRuntimeError } from './onnxruntime.js';

// Kept apart from the public errors in onnxruntime.ts: only this file names
// onnxruntime-node's types, and no published declaration imports it, so a
// project without the runtime still type-checks against this package.

/** What aekit uses of onnxruntime-node. */
export type OnnxRuntime = typeof onnxruntime;

let runtime: Promise<OnnxRuntime> | undefined;

/**
 * onnxruntime-node, imported on first use: converting a model and writing
 * Triton repositories need no runtime, so it is an optional peer
 * dependency, and only running a model (the parity check, `ae infer`,
 * serving) loads it.
 *
 * @param purpose - What needs the runtime, named in the error when it is missing.
 * @throws MissingRuntimeError, with the install command, when onnxruntime-node is not installed.
 */
export async function loadOnnxRuntime(purpose = 'running an ONNX model'): Promise<OnnxRuntime> {
  runtime ??= import('onnxruntime-node');
  try {
    return await runtime;
  } catch (error) {
    runtime = undefined;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') throw new MissingRuntimeError(purpose);
    throw error;
  }
}
