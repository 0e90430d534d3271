import { ConfigError, sizeOfShape, unitFloatsFromBytes, type Dataset, type tf } from '@aekit/core';
import { unitFloatsInto } from '@aekit/core/kernels';

/**
 * Images kept as bytes (one byte a pixel, as in the idx files) and turned
 * into float batches in [0, 1] only when a batch is read, so the full
 * MNIST training set takes 47 MB rather than a 188 MB float copy.
 *
 * Subsets and reshaped views share the bytes; they only hold an index map.
 */
export class ByteImageDataset implements Dataset {
  readonly size: number;
  readonly exampleShape: readonly number[];
  private readonly pixels: Uint8Array;
  private readonly classLabels?: Uint8Array;
  /** Class label of each given image; absent for images without labels. */
  readonly labels?: (indices: ArrayLike<number>) => Int32Array;
  private readonly order?: Int32Array;
  private readonly pixelsPerExample: number;

  /**
   * @param pixels - All images back to back, one byte per value.
   * @param exampleShape - Shape of one image, e.g. `[28, 28, 1]`.
   * @param labels - Optional class label per image.
   * @param order - Optional map from this dataset's indices to image indices.
   */
  constructor(pixels: Uint8Array, exampleShape: readonly number[], labels?: Uint8Array, order?: Int32Array) {
    this.pixelsPerExample = sizeOfShape(exampleShape);
    if (this.pixelsPerExample <= 0 || pixels.length % this.pixelsPerExample !== 0) {
      throw new ConfigError('exampleShape', `[${exampleShape}] does not divide ${pixels.length} pixels`);
    }
    const stored = pixels.length / this.pixelsPerExample;
    if (labels && labels.length !== stored) throw new ConfigError('labels', `expected ${stored} labels, got ${labels.length}`);
    this.pixels = pixels;
    this.exampleShape = [...exampleShape];
    this.classLabels = labels;
    if (labels) this.labels = (indices) => Int32Array.from(indices, (i) => labels[this.source(i)]);
    this.order = order;
    this.size = order ? order.length : stored;
  }

  private source(i: number): number {
    if (!Number.isInteger(i) || i < 0 || i >= this.size) throw new RangeError(`example index ${i} is outside 0..${this.size - 1}`);
    return this.order ? this.order[i] : i;
  }

  /**
   * Float32 batch `[n, ...exampleShape]` with values in [0, 1]: gathered and
   * converted in one kernel straight into the backend's memory where it has
   * one (wasm, native), by a JavaScript loop elsewhere; the same floats.
   *
   * @param indices - Positions of the images in this dataset.
   * @throws RangeError naming an index outside the dataset.
   */
  batch(indices: ArrayLike<number>): tf.Tensor {
    return unitFloatsFromBytes(this.pixels, this.rows(indices), this.pixelsPerExample, [indices.length, ...this.exampleShape]);
  }

  /**
   * The same values as {@link batch}, as a plain Float32Array.
   *
   * @param indices - Positions of the images in this dataset.
   * @throws RangeError naming an index outside the dataset.
   */
  floats(indices: ArrayLike<number>): Float32Array {
    const rows = this.rows(indices);
    const per = this.pixelsPerExample;
    return unitFloatsInto({ bytes: this.pixels, rows, rowLength: per, shape: [rows.length, per] }, new Float32Array(rows.length * per));
  }

  /** The stored image of each of `indices`, checked. */
  private rows(indices: ArrayLike<number>): Int32Array {
    return Int32Array.from(indices, (i) => this.source(i));
  }

  /**
   * The same images viewed with another shape of the same size, e.g. `[784]` or `[28, 28]`.
   *
   * @param shape - The new shape of one image; its size must equal the old one's.
   */
  reshape(shape: readonly number[]): ByteImageDataset {
    if (sizeOfShape(shape) !== this.pixelsPerExample || shape.some((d) => !Number.isInteger(d) || d <= 0)) {
      throw new ConfigError('shape', `cannot view images of shape [${this.exampleShape}] as [${shape}]`);
    }
    return new ByteImageDataset(this.pixels, shape, this.classLabels, this.order);
  }

  subset(indices: ArrayLike<number>): ByteImageDataset {
    return new ByteImageDataset(this.pixels, this.exampleShape, this.classLabels, this.rows(indices));
  }

  /**
   * The first `n` examples (all of them when `n` is larger).
   *
   * @param n - Number of images to keep.
   */
  take(n: number): ByteImageDataset {
    const count = Math.min(n, this.size);
    return this.subset(Int32Array.from({ length: count }, (_, i) => i));
  }
}
