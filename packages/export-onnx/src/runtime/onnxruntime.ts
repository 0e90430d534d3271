import { AeError } from '@aekit/core';

/**
 * The command that installs the runtime on a CPU-only machine that reaches
 * only the npm registry: onnxruntime-node's install script would otherwise
 * download GPU binaries from elsewhere (its CPU binaries ship in the package).
 */
export const RUNTIME_INSTALL_COMMAND = 'ONNXRUNTIME_NODE_INSTALL=skip npm install onnxruntime-node';

/**
 * onnxruntime-node is not installed (it is an optional peer of this package).
 *
 * @example
 * ```ts
 * import { MissingRuntimeError, OnnxModel } from '@aekit/export-onnx';
 *
 * try {
 *   await OnnxModel.load('mnist.onnx');
 * } catch (error) {
 *   if (error instanceof MissingRuntimeError) console.log(error.message);
 *   // running an ONNX model needs onnxruntime-node, which is not installed: ONNXRUNTIME_NODE_INSTALL=skip npm install onnxruntime-node
 * }
 * ```
 */
export class MissingRuntimeError extends AeError {
  /** @param purpose - What needed the runtime, e.g. `ae infer`. */
  constructor(readonly purpose: string) {
    super('missing-runtime', `${purpose} needs onnxruntime-node, which is not installed: ${RUNTIME_INSTALL_COMMAND}`);
    this.name = 'MissingRuntimeError';
  }
}
