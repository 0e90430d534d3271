export { activeBackendName, BACKEND_NAMES, backendNotices, defaultBackend, isNode, useBackend, type BackendName } from './backends.js';
export { registerBackendProvider, type BackendProvider } from './provider.js';
export { registerKernels } from '../kernels/index.js';
