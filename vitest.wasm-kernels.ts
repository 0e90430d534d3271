// Runs before every test file of the packages whose vitest config is
// `withWasmKernels` (vitest.shared.ts): aekit's wasm kernels registered
// through core's hook, as `ae` and users register them.
import { registerWasmKernels } from '@aekit/kernels-wasm';

registerWasmKernels();
