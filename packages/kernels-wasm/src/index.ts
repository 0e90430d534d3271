/**
 * aekit's kernels for TensorFlow.js' wasm backend: the kernel it lacks
 * (`Conv2DBackpropFilter`), SIMD loops in C that run in place on its heap
 * where its own kernels fall back to scalar loops or make several passes,
 * and aekit's own ops (the loss, the Adam update). `registerWasmKernels()`
 * adds them through core's kernel hook; the heap module and its
 * bounds-checked contracts are under `@aekit/kernels-wasm/heap`.
 *
 * @packageDocumentation
 */
export { kernels as wasmKernels, registerWasmKernels } from './wasm-kernels.js';
export { backendOwnKernel, KERNELS, registerKernels } from './kernels/index.js';
export type { AekitKernel } from './shared/aekit-kernel.js';
export { replaceKernelFunc } from './shared/replace-kernel.js';
export { RELU_GRAD } from './kernels/relu-grad/name.js';
export { SIGMOID_GRAD } from './kernels/sigmoid-grad/name.js';
