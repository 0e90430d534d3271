export { BACKEND_NAMES, defaultBackend, isNode, useBackend, type BackendName } from './backends.js';
export { kernelPackages, useKernels, type KernelPackage } from './kernel-packages.js';
