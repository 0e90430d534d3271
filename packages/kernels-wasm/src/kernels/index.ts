import { tf } from '@aekit/core';
import type { AekitKernel } from '../shared/aekit-kernel.js';
import { adamUpdateKernel } from './adam-update/kernel.js';
import { batchMatMulKernel } from './batch-mat-mul/kernel.js';
import { biasAddKernel } from './bias-add/kernel.js';
import {
  binaryCrossEntropyGradKernel,
  binaryCrossEntropyKernel,
  binaryCrossEntropySumGradKernel,
  binaryCrossEntropySumKernel,
} from './binary-cross-entropy/kernel.js';
import { castKernel } from './cast/kernel.js';
import { conv2DKernel, fusedConv2DKernel } from './conv2d/kernel.js';
import { conv2DBackpropFilterKernel } from './conv2d-backprop-filter/kernel.js';
import { conv2DBackpropInputKernel } from './conv2d-backprop-input/kernel.js';
import { denseGradKernel, denseKernel } from './dense/kernel.js';
import { identityKernel } from './identity/kernel.js';
import { lstmSequenceGradKernel, lstmSequenceKernel } from './lstm-sequence/kernel.js';
import { maxPoolGradKernel } from './max-pool-grad/kernel.js';
import { reluGradKernel } from './relu-grad/kernel.js';
import { sigmoidGradKernel } from './sigmoid-grad/kernel.js';
import { resizeNearestNeighborKernel } from './resize-nearest-neighbor/kernel.js';
import { resizeNearestNeighborGradKernel } from './resize-nearest-neighbor-grad/kernel.js';
import { sumKernel } from './sum/kernel.js';
import { tileKernel } from './tile/kernel.js';
import { transposeKernel } from './transpose/kernel.js';
import { unitFloatsFromBytesKernel } from './unit-floats-from-bytes/kernel.js';

/**
 * Every kernel aekit registers, one folder each under `src/kernels/` (as
 * tfjs' `register_all_kernels` lists its own): aekit's own kernels first,
 * then wrappers of the backends' kernels. The kernel lists in the READMEs
 * and the backends guide are generated from this table
 * (`node scripts/kernel-list.mjs`).
 */
export const KERNELS: readonly AekitKernel[] = [
  binaryCrossEntropyKernel,
  binaryCrossEntropyGradKernel,
  binaryCrossEntropySumKernel,
  binaryCrossEntropySumGradKernel,
  reluGradKernel,
  sigmoidGradKernel,
  adamUpdateKernel,
  lstmSequenceKernel,
  lstmSequenceGradKernel,
  unitFloatsFromBytesKernel,
  denseKernel,
  denseGradKernel,
  conv2DBackpropFilterKernel,
  batchMatMulKernel,
  conv2DBackpropInputKernel,
  maxPoolGradKernel,
  identityKernel,
  castKernel,
  transposeKernel,
  sumKernel,
  conv2DKernel,
  fusedConv2DKernel,
  resizeNearestNeighborKernel,
  biasAddKernel,
  resizeNearestNeighborGradKernel,
  tileKernel,
];

/** The backends' own kernels aekit wrapped, by the wrapper registered in their place. */
const wrapped = new WeakMap<tf.KernelConfig, tf.KernelConfig>();
/**
 * The wrap functions applied: registering twice is harmless even where a
 * later package (`@aekit/kernels-native`) wrapped aekit's wrapper in turn.
 */
const applied = new WeakSet<object>();

/**
 * Registers the kernels aekit adds to tfjs' backends and its wrappers of
 * their own (faster paths, or corrections of their bugs), as listed in
 * the kernel table; see the package README for the list.
 * Idempotent; runs before a backend is initialised so that the wrapped
 * kernels' setup still runs.
 */
export function registerKernels(): void {
  for (const kernel of KERNELS) {
    for (const config of kernel.adds ?? []) {
      if (!tf.getKernel(config.kernelName, config.backendName)) tf.registerKernel(config);
    }
    // Registering a gradient replaces any earlier one for the kernel (the ReLU's: tfjs' own).
    for (const gradient of kernel.gradients ?? []) {
      if (tf.getGradient(gradient.kernelName) !== gradient) tf.registerGradient(gradient);
    }
  }
  for (const kernel of KERNELS) {
    for (const { backend, wrap } of kernel.wraps ?? []) {
      const own = tf.getKernel(kernel.name, backend);
      if (!own || wrapped.has(own) || applied.has(wrap)) continue;
      const replacement = wrap(own);
      tf.unregisterKernel(kernel.name, backend);
      tf.registerKernel(replacement);
      wrapped.set(replacement, own);
      applied.add(wrap);
    }
  }
}

/**
 * The backend's own kernel `name`, as tfjs registered it, where aekit's
 * wrapper now stands in its place (tests compare against it); otherwise the
 * kernel registered now, if any.
 *
 * @param name - The kernel's name in tfjs, such as `ResizeNearestNeighborGrad`.
 * @param backend - The backend's name, such as `cpu`.
 */
export function backendOwnKernel(name: string, backend: string): tf.KernelConfig | undefined {
  const current = tf.getKernel(name, backend);
  return current && (wrapped.get(current) ?? current);
}
