import type { tf } from '@aekit/core';
import { replaceKernelFunc } from '../../shared/replace-kernel.js';
import { sharedOutput } from '../identity/wasm.js';

/**
 * `Cast` for the wasm backend that shares its input's data when the dtype
 * does not change, as the cpu backend does, instead of copying it. tfjs'
 * ReLU gradient casts a float32 mask to float32 (`cast(step(x), 'float32')`),
 * a copy of a whole activation for nothing.
 *
 * @param original - The wasm backend's own kernel, for real conversions.
 */
export function castWasm(original: tf.KernelConfig): tf.KernelConfig {
  return replaceKernelFunc(original, (args) => {
    const { x } = args.inputs as { x: tf.TensorInfo };
    const { dtype } = args.attrs as unknown as { dtype: tf.DataType };
    if (x.dtype !== dtype || dtype === 'string') return original.kernelFunc(args);
    return sharedOutput(args.backend, x);
  });
}
