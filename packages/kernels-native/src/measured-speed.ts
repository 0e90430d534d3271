// Generated from bench/results.json by `node scripts/speed-summary.mjs`; do not edit. Run `pnpm bench` to measure again.

/**
 * The families on which the last `pnpm bench` trained faster with the native
 * kernels than with the best wasm configuration (1 or more worker threads)
 * of the same run, median of its rounds: `auto` picks `native` for these
 * only. Empty until a bench has measured native.
 */
export const NATIVE_FASTER: { readonly measured: string; readonly families: readonly string[] } = {
  measured: 'pnpm bench --rounds 3 --no-cpu --no-variants --no-inference on 2026-12-07',
  families: ['dense', 'deep', 'conv', 'lstm', 'vae'],
};
