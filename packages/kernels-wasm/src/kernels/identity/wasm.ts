import type { tf } from '@aekit/core';
import { replaceKernelFunc } from '../../shared/replace-kernel.js';

/**
 * `Identity` for the wasm backend sharing its input's data (a reference
 * count) instead of copying it, as tfjs' cpu backend and the wasm
 * backend's own `Reshape` do. tfjs clones every tensor a kernel saves for
 * its gradient through this kernel, so every saved activation would
 * otherwise be copied once a step.
 *
 * @param original - The wasm backend's own kernel, kept for strings.
 */
export function identityWasm(original: tf.KernelConfig): tf.KernelConfig {
  return replaceKernelFunc(original, (args) => {
    const { x } = args.inputs as { x: tf.TensorInfo };
    if (x.dtype === 'string') return original.kernelFunc(args);
    return sharedOutput(args.backend, x);
  });
}

/**
 * A kernel output that shares `x`'s data instead of a copy of it. Safe
 * because no kernel writes into an existing tensor's memory: outputs are
 * always fresh.
 * @internal
 */
export function sharedOutput(backend: object, x: tf.TensorInfo): tf.TensorInfo {
  (backend as { incRef(dataId: tf.DataId): void }).incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}
