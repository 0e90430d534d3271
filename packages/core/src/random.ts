import seedrandom from 'seedrandom';

/** A seeded source of uniform numbers in [0, 1). */
export type Rng = () => number;

/**
 * Creates a seeded random number generator (Alea from `seedrandom`, chosen
 * because it is fast, well-tested and already a dependency of tfjs-core).
 *
 * @param seed - Any number or string; the same seed gives the same stream.
 * @example
 * ```ts
 * import { createRng } from '@aekit/core';
 *
 * const rng = createRng(42);
 * rng(); // 0.6848634963389486, the same on every run
 * rng(); // 0.5463244677521288
 * ```
 */
export function createRng(seed: number | string): Rng {
  return seedrandom.alea(String(seed));
}

/**
 * Derives a new 31-bit integer seed from a base seed and a path of numbers,
 * such as (seed, epoch, batch), so that every step of a run has its own
 * reproducible stream without the streams overlapping.
 *
 * @param seed - The run's base seed.
 * @param parts - Further numbers that identify the use of the seed.
 * @example
 * ```ts
 * import { deriveSeed } from '@aekit/core';
 *
 * deriveSeed(42, 3, 17); // 1790499083: run seed 42, epoch 3, batch 17
 * deriveSeed(42, 3, 18); // 114354652, a stream of its own for the next batch
 * ```
 */
export function deriveSeed(seed: number, ...parts: number[]): number {
  const rng = createRng([seed, ...parts].join(':'));
  return Math.floor(rng() * 0x7fffffff);
}

/**
 * Runs `fn` with `Math.random` replaced by a seeded generator.
 *
 * tfjs initializers draw their seeds from `Math.random` when a layer is given
 * none. Scoping a seeded `Math.random` around model construction makes every
 * family reproducible, third-party plugins included, without threading seeds
 * through each layer. The function must be synchronous so no other code runs
 * while the global is replaced.
 *
 * @param seed - Seed for the replacement generator.
 * @param fn - Synchronous code to run, typically a model factory.
 * @example
 * ```ts
 * import { tf, withSeededMathRandom } from '@aekit/core';
 *
 * // The same initial weights on every run, though the layer is given no seed.
 * const model = withSeededMathRandom(7, () => tf.sequential({ layers: [tf.layers.dense({ inputShape: [8], units: 4 })] }));
 * ```
 */
export function withSeededMathRandom<T>(seed: number, fn: () => T): T {
  const original = Math.random;
  Math.random = createRng(seed);
  try {
    const result = fn();
    if (result instanceof Promise) {
      throw new Error('withSeededMathRandom expects a synchronous function');
    }
    return result;
  } finally {
    Math.random = original;
  }
}

/**
 * Returns a random permutation of `0 .. n-1` drawn with a seeded generator
 * (Fisher-Yates).
 *
 * @param n - Number of indices.
 * @param seed - Seed of the shuffle.
 * @example
 * ```ts
 * import { shuffledIndices } from '@aekit/core';
 *
 * shuffledIndices(5, 0); // Int32Array [4, 1, 0, 3, 2]
 * ```
 */
export function shuffledIndices(n: number, seed: number): Int32Array {
  const rng = createRng(seed);
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
  return order;
}
