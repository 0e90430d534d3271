// Settings every package's vitest config shares.
import { defineConfig } from 'vitest/config';

export default defineConfig({
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
