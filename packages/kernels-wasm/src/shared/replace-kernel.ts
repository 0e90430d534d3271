import type { tf } from '@aekit/core';

/**
 * A replacement for one of a backend's own kernels: the same name, backend,
 * setup and disposal (so the backend's initialisation still runs), and
 * another kernel function, which may fall back to the original's.
 * @internal
 */
export function replaceKernelFunc(original: tf.KernelConfig, kernelFunc: tf.KernelFunc): tf.KernelConfig {
  const { kernelName, backendName, setupFunc, disposeFunc } = original;
  return { kernelName, backendName, setupFunc, disposeFunc, kernelFunc };
}
