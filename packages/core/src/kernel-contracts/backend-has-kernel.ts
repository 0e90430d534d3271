import { tf } from '../tf.js';

/**
 * Whether the backend in use registers kernel `name`; where it does not,
 * callers compose the same result from tfjs ops.
 *
 * @param name - A kernel's name in tfjs, such as `AekitAdamUpdate`.
 * @example
 * ```ts
 * import { useBackend } from '@aekit/core';
 * import { ADAM_UPDATE, backendHasKernel } from '@aekit/core/kernels';
 * import { registerWasmKernels } from '@aekit/kernels-wasm';
 *
 * registerWasmKernels();
 * await useBackend('wasm');
 * backendHasKernel(ADAM_UPDATE); // true ('cpu' has no such kernel: false)
 * ```
 */
export function backendHasKernel(name: string): boolean {
  return tf.getKernel(name, tf.getBackend()) !== undefined;
}
