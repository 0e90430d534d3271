import { tf } from '../tf.js';
import { resizeNearestNeighborGrad } from './resize-nearest-neighbor-grad.js';
import { binaryCrossEntropyGradConfig } from '../gradients/binary-cross-entropy-grad.js';
import { reluGradConfig } from '../gradients/relu-grad.js';
import { adamUpdateWasm } from './wasm/adam-update.js';
import { batchMatMulWasm } from './wasm/batch-mat-mul.js';
import { biasAddWasm } from './wasm/bias-add.js';
import { binaryCrossEntropyGradWasm, binaryCrossEntropyWasm } from './wasm/binary-cross-entropy.js';
import { castWasm } from './wasm/cast.js';
import { conv2DWasm } from './wasm/conv2d.js';
import { conv2DBackpropFilterWasm } from './wasm/conv2d-backprop-filter.js';
import { conv2DBackpropInputWasm } from './wasm/conv2d-backprop-input.js';
import { identityWasm } from './wasm/identity.js';
import { maxPoolGradWasm } from './wasm/max-pool-grad.js';
import { reluGradWasm } from './wasm/relu-grad.js';
import { resizeNearestNeighborWasm } from './wasm/resize-nearest-neighbor.js';
import { sumWasm } from './wasm/sum.js';
import { transposeWasm } from './wasm/transpose.js';

/** Kernels aekit registered, so registering twice is harmless. */
const registered = new WeakSet<tf.KernelConfig>();

/** Wrappers of a backend's own kernels: faster paths, or corrections of its bugs. */
const wrappers: { backend: 'wasm' | 'cpu'; kernel: string; wrap: (original: tf.KernelConfig) => tf.KernelConfig }[] = [
  { backend: 'wasm', kernel: 'BatchMatMul', wrap: batchMatMulWasm },
  { backend: 'wasm', kernel: 'Conv2DBackpropInput', wrap: conv2DBackpropInputWasm },
  { backend: 'wasm', kernel: 'MaxPoolGrad', wrap: maxPoolGradWasm },
  { backend: 'wasm', kernel: 'Identity', wrap: identityWasm },
  { backend: 'wasm', kernel: 'Cast', wrap: castWasm },
  { backend: 'wasm', kernel: 'Transpose', wrap: transposeWasm },
  { backend: 'wasm', kernel: 'Sum', wrap: sumWasm },
  { backend: 'wasm', kernel: 'Conv2D', wrap: conv2DWasm },
  { backend: 'wasm', kernel: 'ResizeNearestNeighbor', wrap: resizeNearestNeighborWasm },
  { backend: 'wasm', kernel: 'Add', wrap: biasAddWasm },
  { backend: 'wasm', kernel: 'FusedConv2D', wrap: conv2DWasm },
  { backend: 'wasm', kernel: 'ResizeNearestNeighborGrad', wrap: (k) => resizeNearestNeighborGrad('wasm', k) },
  { backend: 'cpu', kernel: 'ResizeNearestNeighborGrad', wrap: (k) => resizeNearestNeighborGrad('cpu', k) },
];

/**
 * Registers the kernels aekit adds to tfjs' backends: the `Conv2DBackpropFilter`
 * the wasm backend lacks; a one-pass binary cross-entropy (and its
 * gradient), ReLU gradient and Adam update on wasm (the ReLU's gradient
 * elsewhere as tfjs computes it); faster wasm paths for `BatchMatMul` with
 * transposed factors, `Conv2DBackpropInput`, `MaxPoolGrad`,
 * `ResizeNearestNeighbor` and its gradient, `Transpose`, `Sum` over leading
 * axes, `Conv2D`/`FusedConv2D` with one channel on either side and `Add` of a bias
 * vector; an `Identity` and a same-dtype `Cast` that share data instead of copying it; and a
 * correct cpu `ResizeNearestNeighborGrad`.
 * Idempotent; runs before a backend is initialised so that the wrapped
 * kernels' setup still runs.
 */
export function registerKernels(): void {
  for (const kernel of [conv2DBackpropFilterWasm, binaryCrossEntropyWasm, binaryCrossEntropyGradWasm, reluGradWasm, adamUpdateWasm]) {
    if (!tf.getKernel(kernel.kernelName, kernel.backendName)) tf.registerKernel(kernel);
  }
  // Registering a gradient replaces any earlier one for the kernel (the ReLU's: tfjs' own).
  for (const gradient of [binaryCrossEntropyGradConfig, reluGradConfig]) {
    if (tf.getGradient(gradient.kernelName) !== gradient) tf.registerGradient(gradient);
  }
  for (const { backend, kernel, wrap } of wrappers) {
    const own = tf.getKernel(kernel, backend);
    if (!own || registered.has(own)) continue;
    const replacement = wrap(own);
    tf.unregisterKernel(kernel, backend);
    tf.registerKernel(replacement);
    registered.add(replacement);
  }
}
