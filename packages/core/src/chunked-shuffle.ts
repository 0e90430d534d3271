import { createRng, shuffledIndices } from './random.js';

/**
 * A seeded epoch order for data that is cheap to read in runs (a decoded
 * cache file on disk): the examples are grouped by the chunk they live in,
 * the chunks are visited in a random order, and the examples of `window`
 * chunks at a time are shuffled together. A batch then touches only the
 * chunks of one window, so a reader that keeps `window` chunks in memory
 * reads each chunk from disk once per epoch, while batches still mix
 * examples from several places in the data.
 *
 * @param chunkOf - For each example (by index), the chunk that holds it.
 * @param window - How many chunks are shuffled together (at least 1).
 * @param seed - Seed of the order; the same seed gives the same order.
 * @returns A permutation of `0 .. chunkOf.length - 1`.
 * @example
 * ```ts
 * import { chunkedShuffle } from '@aekit/core';
 *
 * // Nine examples in three chunks on disk; two chunks are shuffled together.
 * const chunkOf = [0, 0, 0, 1, 1, 1, 2, 2, 2];
 * chunkedShuffle(chunkOf, 2, 7); // Int32Array [7, 0, 1, 8, 6, 2, 4, 3, 5]: chunks 2 and 0, then chunk 1
 * ```
 */
export function chunkedShuffle(chunkOf: ArrayLike<number>, window: number, seed: number): Int32Array {
  const n = chunkOf.length;
  const byChunk = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const chunk = chunkOf[i];
    let members = byChunk.get(chunk);
    if (!members) byChunk.set(chunk, (members = []));
    members.push(i);
  }
  const chunks = [...byChunk.keys()];
  const chunkOrder = shuffledIndices(chunks.length, seed);
  const rng = createRng(`${seed}:within`);
  const order = new Int32Array(n);
  const span = Math.max(1, Math.floor(window));
  let out = 0;
  for (let start = 0; start < chunks.length; start += span) {
    const group: number[] = [];
    for (let c = start; c < Math.min(chunks.length, start + span); c++) group.push(...byChunk.get(chunks[chunkOrder[c]])!);
    for (let i = group.length - 1; i > 0; i--) {
      const j = Math.floor(rng() * (i + 1));
      const t = group[i];
      group[i] = group[j];
      group[j] = t;
    }
    order.set(group, out);
    out += group.length;
  }
  return order;
}
