import { tf, ConfigError } from '@aekit/core';

/**
 * The true lengths of the sequences in padded batches, keyed by the batch
 * tensor. The trainer passes lengths to `forward` itself (from the
 * dataset's `lengths`, also into worker threads); this map serves the calls
 * that get only a tensor, `encode` and `reconstruct` on a batch from
 * `PaddedSequenceDataset.batch`. A weak map: an entry lives exactly as long
 * as its tensor object, and holds no tensor, so nothing can leak.
 */
const lengthsByBatch = new WeakMap<tf.Tensor, Int32Array>();

/**
 * Records the true length of every sequence in a padded batch
 * `[n, timesteps, features]`, so that models can mask the padding.
 *
 * @param batch - The padded batch.
 * @param lengths - One length per sequence, each in `1 .. timesteps`.
 * @returns The same batch, for chaining.
 */
export function attachLengths<T extends tf.Tensor>(batch: T, lengths: ArrayLike<number>): T {
  lengthsByBatch.set(batch, checkLengths(lengths, batch.shape[0] ?? 0, batch.shape[1] ?? 0));
  return batch;
}

/**
 * The sequence lengths recorded for a batch by {@link attachLengths}, or
 * undefined for a batch of full-length sequences.
 *
 * @param batch - A batch tensor, usually from `PaddedSequenceDataset.batch`.
 */
export function lengthsOf(batch: tf.Tensor): Int32Array | undefined {
  return lengthsByBatch.get(batch);
}

/**
 * A `[n, timesteps]` float mask with 1 for the first `lengths[i]` steps of
 * row `i` and 0 for the padding after them.
 *
 * @param lengths - One length per sequence.
 * @param timesteps - Padded length.
 */
export function sequenceMask(lengths: ArrayLike<number>, timesteps: number): tf.Tensor2D {
  const checked = checkLengths(lengths, lengths.length, timesteps);
  const mask = new Float32Array(checked.length * timesteps);
  checked.forEach((length, i) => mask.fill(1, i * timesteps, i * timesteps + length));
  return tf.tensor2d(mask, [checked.length, timesteps]);
}

function checkLengths(lengths: ArrayLike<number>, count: number, timesteps: number): Int32Array {
  if (lengths.length !== count) {
    throw new ConfigError('lengths', `expected ${count} lengths (one per sequence), got ${lengths.length}`);
  }
  const out = Int32Array.from(lengths);
  out.forEach((length, i) => {
    if (length !== lengths[i] || length < 1 || length > timesteps) {
      throw new ConfigError(`lengths.${i}`, `expected an integer between 1 and ${timesteps}, got ${lengths[i]}`);
    }
  });
  return out;
}
