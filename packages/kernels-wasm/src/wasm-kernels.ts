import { useKernels, type KernelPackage } from '@aekit/core';
import { prepareHeapKernels } from './heap/heap-kernels.js';
import { registerKernels } from './kernels/index.js';

/**
 * This package as core's kernel hook takes it: registering walks the
 * kernel table, and before the wasm backend starts the heap module is
 * compiled (asynchronously, as browsers require for modules over 4 KB).
 * Worker threads of `fit` import this module and add it too.
 */
export const kernels: KernelPackage = {
  name: '@aekit/kernels-wasm',
  module: import.meta.url,
  register: registerKernels,
  prepare: async (backend) => {
    if (backend === 'wasm') await prepareHeapKernels();
  },
};

/**
 * Registers aekit's kernels for tfjs' wasm backend (and a correction of
 * the cpu backend's `ResizeNearestNeighborGrad`) through core's
 * {@link useKernels}: from the next `useBackend` on, in this thread and in
 * the worker threads of `fit`. Call it once, before `useBackend('wasm')`;
 * calling it again does nothing.
 *
 * @example
 * ```ts
 * import { useBackend } from '@aekit/core';
 * import { registerWasmKernels } from '@aekit/kernels-wasm';
 *
 * registerWasmKernels();
 * await useBackend('wasm');
 * ```
 */
export function registerWasmKernels(): void {
  useKernels(kernels);
}
