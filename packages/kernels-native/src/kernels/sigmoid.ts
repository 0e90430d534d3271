import type { tf } from '@aekit/core';
import { sigmoid } from '../contracts.js';
import { nativeKernel } from './native-wrapper.js';

/** Below this many elements the wasm kernel runs: a native call's fixed cost outweighs its speed on small tensors. */
const NATIVE_SIGMOID_MIN = 4096;

/**
 * `Sigmoid` natively, on every core with the CPU's widest vectors (tfjs'
 * wasm kernel runs on one thread): the output layer of every family that
 * ends in probabilities. Within a few units in the last place of tfjs' cpu
 * kernel, not bit for bit the wasm kernel's (XNNPACK's approximation).
 */
export const nativeSigmoid = nativeKernel('Sigmoid', 'the sigmoid natively, on every core', ({ inputs, backend, heap }) => {
  const { x } = inputs as { x: tf.TensorInfo };
  const n = x.shape.reduce((a, b) => a * b, 1);
  if (x.dtype !== 'float32' || n < NATIVE_SIGMOID_MIN) return undefined;
  const y = backend.makeOutput(x.shape, 'float32');
  heap.run(sigmoid, [{ tensor: x }, { tensor: y }], [n]);
  return y;
});
