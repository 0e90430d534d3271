import { defineConfig, mergeConfig } from 'vitest/config';
import shared from '../../vitest.shared.js';

// Each kernel's own test lives in its folder (src/kernels/<kernel>/*.test.ts);
// mergeConfig adds this pattern to the shared one for test/. Every test file
// runs with the kernels registered, as users run them.
export default mergeConfig(shared, defineConfig({ test: { include: ['src/**/*.test.ts'], setupFiles: ['test/support/register.ts'] } }));
