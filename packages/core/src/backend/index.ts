export { activeBackendName, BACKEND_NAMES, backendNotices, defaultBackend, isNode, useBackend, type BackendName } from './backends.js';
export { registerBackendProvider, type BackendProvider, type BackendWork } from './provider.js';
export { kernelPackages, useKernels, type KernelPackage } from './kernel-packages.js';
