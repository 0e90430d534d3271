import { AeError } from '@aekit/core';

/**
 * The command that installs the runtime on a CPU-only machine that reaches
 * only the npm registry: onnxruntime-node's install script would otherwise
 * download GPU binaries from elsewhere (its CPU binaries ship in the package).
 */
export const RUNTIME_INSTALL_COMMAND = 'ONNXRUNTIME_NODE_INSTALL=skip npm install onnxruntime-node';

/** onnxruntime-node is not installed (it is an optional peer of this package). */
export class MissingRuntimeError extends AeError {
  /** @param purpose - What needed the runtime, e.g. `ae infer`. */
  constructor(readonly purpose: string) {
    super('missing-runtime', `${purpose} needs onnxruntime-node, which is not installed: ${RUNTIME_INSTALL_COMMAND}`);
    this.name = 'MissingRuntimeError';
  }
}
