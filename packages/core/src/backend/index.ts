export { BACKEND_NAMES, defaultBackend, isNode, useBackend, type BackendName } from './backends.js';
export { registerKernels } from '../kernels/index.js';
