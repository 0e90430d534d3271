import { tf } from '../../tf.js';
import { conv2DBackpropFilterWasm } from './conv2d-backprop-filter.js';

/** Kernels aekit adds to the wasm backend, one file each. */
const kernels: readonly tf.KernelConfig[] = [conv2DBackpropFilterWasm];

/**
 * Registers the kernels the wasm backend lacks for training. Idempotent;
 * a kernel that tfjs itself provides in a later version is left alone.
 */
export function registerWasmKernels(): void {
  for (const kernel of kernels) {
    if (!tf.getKernel(kernel.kernelName, kernel.backendName)) tf.registerKernel(kernel);
  }
}
