import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    // tfjs keeps one engine per process; running files in separate forks keeps
    // backend choice and tensor counts of one file from leaking into another.
    pool: 'forks',
  },
});
