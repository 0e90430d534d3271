// What the native kernels' tests share: one computation run on tfjs' cpu
// backend (the reference), on wasm (the twin aekit runs without the addon)
// and on native, each result read back and freed.
import { expect } from 'vitest';
import { createRng, tf, useBackend } from '@aekit/core';
import '../src/index.js';

/** Each backend's result of one computation, as plain numbers. */
export interface Results {
  cpu: Float32Array[];
  wasm: Float32Array[];
  native: Float32Array[];
}

/**
 * Runs `compute` on cpu, wasm and native in turn; it returns one tensor or
 * several (a gradient's). Every run must free the tensors it makes.
 */
export async function onEveryBackend(compute: () => tf.Tensor | tf.Tensor[]): Promise<Results> {
  const run = async (backend: string): Promise<Float32Array[]> => {
    await useBackend(backend);
    const before = tf.memory().numTensors;
    const out = tf.tidy(compute);
    const list = Array.isArray(out) ? out : [out];
    const values = await Promise.all(list.map(async (t) => Float32Array.from(await t.data())));
    tf.dispose(list);
    expect(tf.memory().numTensors).toBe(before);
    return values;
  };
  return { cpu: await run('cpu'), wasm: await run('wasm'), native: await run('native') };
}

/** `n` seeded values in [low, high). */
export function seeded(seed: string, n: number, low = -1, high = 1): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: n }, () => low + (high - low) * rng());
}

/** Expects `actual` within `tolerance` of `expected`, relative to max(1, |expected|), naming the first element that is not. */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: number): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i]!;
    if (!(Math.abs(actual[i]! - e) <= tolerance * Math.max(1, Math.abs(e)))) throw new Error(`element ${i}: expected ${e}, got ${actual[i]}`);
  }
}

/** Expects native's results close to cpu's and wasm's, output by output (a failure names the output and the backend). */
export function expectAgree(results: Results, tolerance: number): void {
  results.native.forEach((values, i) => {
    for (const backend of ['cpu', 'wasm'] as const) {
      try {
        expectClose(values, results[backend][i]!, tolerance);
      } catch (error) {
        throw new Error(`output ${i} against ${backend}: ${(error as Error).message}`);
      }
    }
  });
}

/** A float32's place on the number line as an integer, so that neighbouring floats differ by 1. */
function orderedBits(value: number): number {
  const bits = new Int32Array(Float32Array.of(value).buffer)[0]!;
  return bits < 0 ? -(bits & 0x7fffffff) : bits;
}

/** Expects `actual` within `ulps` float32 steps of `expected`, element by element (NaN where expected is NaN), naming the first that is not. */
export function expectUlps(actual: ArrayLike<number>, expected: ArrayLike<number>, ulps: number): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const [a, e] = [actual[i]!, expected[i]!];
    if (Number.isNaN(e) && Number.isNaN(a)) continue;
    if (!(Math.abs(orderedBits(a) - orderedBits(e)) <= ulps)) throw new Error(`element ${i}: expected ${e}, got ${a} (over ${ulps} ulp)`);
  }
}
