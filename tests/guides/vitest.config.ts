import { defineConfig, mergeConfig } from 'vitest/config';
import shared from '../../vitest.shared.js';

export default mergeConfig(
  shared,
  defineConfig({
    test: {
      // Pages that do not continue one another run at once, this many at a time.
      maxConcurrency: Number(process.env.AE_GUIDES_JOBS ?? 2),
      testTimeout: 30 * 60_000,
      hookTimeout: 5 * 60_000,
    },
  }),
);
