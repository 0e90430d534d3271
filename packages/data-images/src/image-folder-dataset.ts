import { chunkedShuffle, ConfigError, sizeOfShape, unitFloatsFromBytes, type Dataset, type tf } from '@aekit/core';
import type { ByteStore } from './byte-store.js';

/**
 * Decoded images of a folder as a {@link Dataset}: bytes in a
 * {@link ByteStore} (in memory, or a cache file on disk read by chunks),
 * turned into float batches in [0, 1] when the trainer asks. Subsets and
 * reshaped views share the store and hold only a map to its slots, so a
 * train/validation/test split costs a few bytes an image.
 */
export class ImageFolderDataset implements Dataset {
  readonly size: number;
  readonly exampleShape: readonly number[];
  /**
   * Class index of each given example; absent for a flat folder (no class
   * folders), so pictures that colour by class know to leave it out.
   */
  readonly labels?: (indices: ArrayLike<number>) => Int32Array;

  /**
   * @param store - Where the decoded images are.
   * @param slots - The store slot of each example of this dataset.
   * @param exampleShape - Shape of one example, `[height, width, channels]` or a view of the same size.
   * @param classLabels - Class index of each example (by position in `slots`), when the folder has class folders.
   */
  constructor(
    readonly store: ByteStore,
    readonly slots: Int32Array,
    exampleShape: readonly number[],
    private readonly classLabels?: Int32Array,
  ) {
    if (sizeOfShape(exampleShape) !== store.bytesPerExample) {
      throw new ConfigError('exampleShape', `[${exampleShape}] does not hold ${store.bytesPerExample} values`);
    }
    if (classLabels && classLabels.length !== slots.length) throw new ConfigError('labels', `expected ${slots.length} labels, got ${classLabels.length}`);
    this.exampleShape = [...exampleShape];
    this.size = slots.length;
    if (classLabels) this.labels = (indices) => Int32Array.from(indices, (i) => classLabels[this.check(i)]);
  }

  /**
   * Float32 batch `[n, ...exampleShape]` with values in [0, 1].
   *
   * @param indices - Positions of the examples in this dataset.
   */
  batch(indices: ArrayLike<number>): tf.Tensor {
    const per = this.store.bytesPerExample;
    const bytes = new Uint8Array(indices.length * per);
    this.store.read(this.slotsOf(indices), bytes);
    // Read in order, so the rows are 0..n-1: converted in one kernel where the backend has it.
    return unitFloatsFromBytes(bytes, Int32Array.from({ length: indices.length }, (_, i) => i), per, [indices.length, ...this.exampleShape]);
  }

  /**
   * A shuffled order that reads the store chunk by chunk (see `chunkedShuffle`).
   *
   * @param seed - Seed of this epoch's shuffle.
   */
  epochOrder(seed: number): Int32Array {
    const chunkOf = Int32Array.from(this.slots, (slot) => Math.floor(slot / this.store.chunkExamples));
    const window = Number.isFinite(this.store.cachedChunks) ? Math.max(1, this.store.cachedChunks - 1) : chunkOf.length;
    return chunkedShuffle(chunkOf, window, seed);
  }

  reshape(shape: readonly number[]): ImageFolderDataset {
    if (sizeOfShape(shape) !== this.store.bytesPerExample || shape.some((d) => !Number.isInteger(d) || d <= 0)) {
      throw new ConfigError('shape', `cannot view images of shape [${this.exampleShape}] as [${shape}]`);
    }
    return new ImageFolderDataset(this.store, this.slots, shape, this.classLabels);
  }

  subset(indices: ArrayLike<number>): ImageFolderDataset {
    const labels = this.labels?.(indices);
    return new ImageFolderDataset(this.store, this.slotsOf(indices), this.exampleShape, labels);
  }

  /**
   * The first `n` examples (all of them when `n` is larger).
   *
   * @param n - How many examples to keep.
   */
  take(n: number): ImageFolderDataset {
    return this.subset(Int32Array.from({ length: Math.min(n, this.size) }, (_, i) => i));
  }

  private slotsOf(indices: ArrayLike<number>): Int32Array {
    return Int32Array.from(indices, (i) => this.slots[this.check(i)]);
  }

  private check(i: number): number {
    if (!Number.isInteger(i) || i < 0 || i >= this.size) throw new RangeError(`example index ${i} is outside 0..${this.size - 1}`);
    return i;
  }
}
