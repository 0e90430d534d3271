// Runs before every test file (vitest.config.ts): the kernels registered
// through core's hook, as the cli and users register them.
import { registerWasmKernels } from '../../src/index.js';

registerWasmKernels();
