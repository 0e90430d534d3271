// Settings every package's vitest config shares.
import { fileURLToPath } from 'node:url';
import { defineConfig, mergeConfig } from 'vitest/config';

const shared = defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // tfjs keeps one engine per process; separate forks keep the backend
    // choice and tensor counts of one file from leaking into another.
    pool: 'forks',
    // The JSON report feeds the workspace summary line (scripts/test-summary.mjs).
    reporters: ['default', ['json', { outputFile: '.vitest-report.json' }]],
  },
});

export default shared;

/**
 * The shared settings with aekit's wasm kernels registered before every
 * test file (vitest.wasm-kernels.ts), for packages whose tests train on the
 * wasm backend; each lists `@aekit/kernels-wasm` in its devDependencies, so
 * that turbo builds it before their tests run.
 */
export const withWasmKernels = mergeConfig(shared, defineConfig({ test: { setupFiles: [fileURLToPath(new URL('vitest.wasm-kernels.ts', import.meta.url))] } }));
