export { withWasmKernels as default } from '../../vitest.shared.js';
