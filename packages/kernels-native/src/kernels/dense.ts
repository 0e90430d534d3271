import type { tf } from '@aekit/core';
import { DENSE, DENSE_GRAD, type DenseAttrs } from '@aekit/core/kernels';
import { ACTIVATIONS, DENSE_GRADIENT_ACTIVATIONS, denseGradient, matMul } from '../contracts.js';
import { nativeKernel } from './native-wrapper.js';

/**
 * `AekitDense` natively: the product, its bias and activation in one call
 * (the addon's `matMul`); tanh, which the product does not fuse, runs the
 * wasm kernel (whose product is the native one).
 */
export const nativeDense = nativeKernel(DENSE, 'a Dense layer forward natively: its product, bias and activation in one call', ({ inputs, attrs, backend, heap }) => {
  const { x, kernel, bias } = inputs as Record<'x' | 'kernel', tf.TensorInfo> & { bias?: tf.TensorInfo };
  const activation = ACTIVATIONS[(attrs as unknown as DenseAttrs).activation];
  if (activation === undefined) return undefined;
  const [n, features] = x.shape as [number, number];
  const units = kernel.shape[1]!;
  const y = backend.makeOutput([n, units], 'float32');
  heap.run(matMul, [{ tensor: x }, { tensor: kernel }, bias ? { tensor: bias } : null, { tensor: y }], [1, 1, n, units, features, 0, 0, activation], [0]);
  return y;
});

/**
 * `AekitDenseGrad` natively in one call (the addon's `denseGradient`): the
 * activation's gradient in one vectorised pass, the kernel's product and
 * the bias's column sums, on every core.
 */
export const nativeDenseGrad = nativeKernel(DENSE_GRAD, "a Dense layer's weight gradients natively in one call", ({ inputs, attrs, backend, heap }) => {
  const { x, y, dy } = inputs as Record<'x' | 'y' | 'dy', tf.TensorInfo>;
  const { activation, hasBias } = attrs as unknown as DenseAttrs;
  const code = DENSE_GRADIENT_ACTIVATIONS[activation];
  if (code === undefined) return undefined;
  const [n, features] = x.shape as [number, number];
  const units = y.shape[1]!;
  const dz = backend.makeOutput([n, units], 'float32');
  const dKernel = backend.makeOutput([features, units], 'float32');
  const dBias = hasBias ? backend.makeOutput([units], 'float32') : null;
  const regions = [x, y, dy, dz, dKernel].map((tensor) => ({ tensor }));
  heap.run(denseGradient, [...regions, dBias ? { tensor: dBias } : null], [n, features, units, code]);
  return dBias ? [dz, dKernel, dBias] : [dz, dKernel];
});
