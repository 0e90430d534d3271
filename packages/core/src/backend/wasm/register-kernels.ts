import { tf } from '../../tf.js';
import { conv2DBackpropFilterWasm } from './conv2d-backprop-filter.js';
import { conv2DBackpropInputWasm } from './conv2d-backprop-input.js';

/** Marks kernels aekit registered, so registering twice is harmless. */
const registered = new WeakSet<tf.KernelConfig>();

/**
 * Registers the kernels aekit adds to the wasm backend: the missing
 * `Conv2DBackpropFilter`, and a faster `Conv2DBackpropInput` that wraps
 * the backend's own. Idempotent; must run before the wasm backend is
 * initialised so that the wrapped kernel's setup still runs.
 */
export function registerWasmKernels(): void {
  if (!tf.getKernel('Conv2DBackpropFilter', 'wasm')) tf.registerKernel(conv2DBackpropFilterWasm);
  const input = tf.getKernel('Conv2DBackpropInput', 'wasm');
  if (input && !registered.has(input)) {
    const faster = conv2DBackpropInputWasm(input);
    tf.unregisterKernel('Conv2DBackpropInput', 'wasm');
    tf.registerKernel(faster);
    registered.add(faster);
  }
}
