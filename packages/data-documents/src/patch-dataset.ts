import { ConfigError, createRng, sizeOfShape, tf } from '@aekit/core';
import { cropValues, type DocumentPair } from './gray-image.js';
import type { PairedDataset } from './paired-dataset.js';

/** Options of {@link DocumentPatchDataset.sample}. */
export interface PatchSamplingOptions {
  /** Side of the square patches in pixels. */
  patchSize: number;
  /** Patches drawn from each page. */
  patchesPerPage: number;
  /** Seed of the patch positions. */
  seed: number;
}

/**
 * Square patches `[size, size, 1]` cut from page pairs: `batch` gives the
 * clean patches (the targets) and `inputs` the dirty patches at the same
 * places (the inputs), values in [0, 1]. Only the pages (as bytes) and the
 * patch positions are kept; float batches are cut when asked for, and
 * subsets and views share the pages.
 */
export class DocumentPatchDataset implements PairedDataset {
  readonly size: number;
  readonly exampleShape: readonly number[];
  /** The page pairs the patches are cut from. */
  readonly pages: readonly DocumentPair[];
  /** Side of a patch in pixels. */
  readonly patchSize: number;
  // page index, x, y of each patch.
  private readonly positions: Int32Array;

  /**
   * @param pages - Page pairs, each at least `patchSize` on both sides.
   * @param patchSize - Side of a patch.
   * @param positions - Page index, left and top of each patch, three numbers a patch.
   * @param exampleShape - How one patch is viewed; `[patchSize, patchSize, 1]` by default.
   */
  constructor(pages: readonly DocumentPair[], patchSize: number, positions: Int32Array, exampleShape?: readonly number[]) {
    if (!Number.isInteger(patchSize) || patchSize <= 0) throw new ConfigError('patchSize', `expected a positive integer, got ${patchSize}`);
    if (positions.length % 3 !== 0) throw new ConfigError('positions', 'expected three numbers (page, x, y) per patch');
    this.pages = pages;
    this.patchSize = patchSize;
    this.positions = positions;
    this.size = positions.length / 3;
    this.exampleShape = exampleShape ? [...exampleShape] : [patchSize, patchSize, 1];
    if (sizeOfShape(this.exampleShape) !== patchSize * patchSize) {
      throw new ConfigError('shape', `cannot view ${patchSize}x${patchSize} patches as [${this.exampleShape}]`);
    }
  }

  /**
   * Draws `patchesPerPage` patch positions uniformly from each page (seeded).
   *
   * @throws ConfigError when a page is smaller than a patch, naming the page.
   * @param pages - The page pairs to cut patches from.
   * @param options - Patch size, patches per page and the seed of their positions.
   */
  static sample(pages: readonly DocumentPair[], options: PatchSamplingOptions): DocumentPatchDataset {
    const { patchSize, patchesPerPage } = options;
    const rng = createRng(`patches:${options.seed}`);
    const positions = new Int32Array(pages.length * patchesPerPage * 3);
    pages.forEach((page, p) => {
      const { width, height } = page.clean;
      if (width < patchSize || height < patchSize) {
        throw new ConfigError('patchSize', `page ${page.name} is ${width}x${height}, smaller than ${patchSize}x${patchSize} patches`);
      }
      for (let k = 0; k < patchesPerPage; k++) {
        const at = (p * patchesPerPage + k) * 3;
        positions[at] = p;
        positions[at + 1] = Math.floor(rng() * (width - patchSize + 1));
        positions[at + 2] = Math.floor(rng() * (height - patchSize + 1));
      }
    });
    return new DocumentPatchDataset(pages, patchSize, positions);
  }

  /**
   * Clean patches (the targets), float32 `[n, ...exampleShape]`.
   *
   * @param indices - Positions of the patches in this dataset.
   */
  batch(indices: ArrayLike<number>): tf.Tensor {
    return this.cut('clean', indices);
  }

  /**
   * Dirty patches at the same places (the inputs), float32 `[n, ...exampleShape]`.
   *
   * @param indices - Positions of the patches in this dataset, as for `batch`.
   */
  inputs(indices: ArrayLike<number>): tf.Tensor {
    return this.cut('dirty', indices);
  }

  /**
   * Where patch `i` lies: its page pair and top-left corner.
   *
   * @param i - Position of the patch in this dataset.
   */
  position(i: number): { page: DocumentPair; x: number; y: number } {
    const at = this.check(i) * 3;
    return { page: this.pages[this.positions[at]], x: this.positions[at + 1], y: this.positions[at + 2] };
  }

  /**
   * The same patches viewed with another shape of the same size, e.g. `[4096]` for 64x64 patches.
   *
   * @param shape - The new shape of one patch; its size must equal the old one's.
   */
  reshape(shape: readonly number[]): DocumentPatchDataset {
    if (shape.some((d) => !Number.isInteger(d) || d <= 0)) {
      throw new ConfigError('shape', `cannot view ${this.patchSize}x${this.patchSize} patches as [${shape}]`);
    }
    return new DocumentPatchDataset(this.pages, this.patchSize, this.positions, shape);
  }

  subset(indices: ArrayLike<number>): DocumentPatchDataset {
    const positions = new Int32Array(indices.length * 3);
    for (let n = 0; n < indices.length; n++) {
      const at = this.check(indices[n]) * 3;
      positions.set(this.positions.subarray(at, at + 3), n * 3);
    }
    return new DocumentPatchDataset(this.pages, this.patchSize, positions, this.exampleShape);
  }

  /**
   * The first `n` patches (all of them when `n` is larger).
   *
   * @param n - Number of patches to keep.
   */
  take(n: number): DocumentPatchDataset {
    return new DocumentPatchDataset(this.pages, this.patchSize, this.positions.subarray(0, Math.min(n, this.size) * 3), this.exampleShape);
  }

  private cut(kind: 'dirty' | 'clean', indices: ArrayLike<number>): tf.Tensor {
    const p = this.patchSize;
    const out = new Float32Array(indices.length * p * p);
    for (let n = 0; n < indices.length; n++) {
      const { page, x, y } = this.position(indices[n]);
      cropValues(page[kind], x, y, p, p, out, n * p * p);
    }
    return tf.tensor(out, [indices.length, ...this.exampleShape], 'float32');
  }

  private check(i: number): number {
    if (!Number.isInteger(i) || i < 0 || i >= this.size) throw new RangeError(`patch index ${i} is outside 0..${this.size - 1}`);
    return i;
  }
}
