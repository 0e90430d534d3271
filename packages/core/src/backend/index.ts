export { BACKEND_NAMES, defaultBackend, isNode, useBackend, type BackendName } from './backends.js';
export { registerWasmKernels } from './wasm/register-kernels.js';
