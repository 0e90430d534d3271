import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Headless Chromium renders WebGL in software (SwiftShader), so the first
    // shader compilations of a page take a while on a busy two-core machine.
    testTimeout: 180_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // One file at a time: the browser tests each start Chromium with software
    // WebGL, and side by side on two cores they would slow each other's demos.
    fileParallelism: false,
    // The JSON report feeds the workspace summary line (scripts/test-summary.mjs).
    reporters: ['default', ['json', { outputFile: '.vitest-report.json' }]],
  },
});
