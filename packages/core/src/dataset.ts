import { tf } from './tf.js';
import { ConfigError } from './errors.js';
import { shuffledIndices } from './random.js';

/**
 * A collection of examples that can be read in batches by index.
 *
 * Datasets build float batches on demand, so large sets can stay in a
 * compact form (bytes, for images) until a batch is needed.
 */
export interface Dataset {
  /** Number of examples. */
  readonly size: number;
  /** Shape of one example, e.g. `[784]` or `[28, 28, 1]`. */
  readonly exampleShape: readonly number[];
  /**
   * Builds a float32 batch `[indices.length, ...exampleShape]`.
   * The caller owns (and must dispose) the returned tensor.
   *
   * @param indices - Positions of the examples in this dataset.
   */
  batch(indices: ArrayLike<number>): tf.Tensor;
  /**
   * For paired data (a dirty scan and its clean page): the model inputs that
   * go with the targets of {@link batch}. When present, the trainer feeds
   * these to the model and uses `batch` as the target, instead of adding
   * `noise` itself. Same shape as `batch`; the caller disposes it.
   *
   * @param indices - Positions of the examples in this dataset, as for `batch`.
   */
  inputs?(indices: ArrayLike<number>): tf.Tensor;
  /**
   * For padded sequences: the true length of each example, which the
   * trainer hands to the model's forward pass (`ForwardOptions.lengths`).
   *
   * @param indices - Positions of the examples in this dataset.
   */
  lengths?(indices: ArrayLike<number>): Int32Array;
  /**
   * For data read from disk: a seeded shuffled order of `0 .. size-1` that
   * the dataset reads efficiently (see `chunkedShuffle`). The trainer uses
   * it instead of a plain shuffle when present.
   *
   * @param seed - Seed of this epoch's shuffle.
   */
  epochOrder?(seed: number): Int32Array;
  /**
   * Integer class labels of the given examples, where the data has labels.
   *
   * @param indices - Positions of the examples in this dataset.
   */
  labels?(indices: ArrayLike<number>): Int32Array;
  /**
   * The same examples viewed with another shape of the same size.
   *
   * @param shape - The new shape of one example; its size must equal the old one's.
   */
  reshape(shape: readonly number[]): Dataset;
  /**
   * The examples at the given indices, as a dataset of their own.
   *
   * @param indices - Positions of the examples to keep, in the order given.
   */
  subset(indices: ArrayLike<number>): Dataset;
}

/**
 * Number of elements in a shape.
 *
 * @param shape - Shape of a tensor or of one example.
 * @example
 * ```ts
 * import { sizeOfShape } from '@aekit/core';
 *
 * sizeOfShape([28, 28, 1]); // 784
 * ```
 */
export function sizeOfShape(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/**
 * Throws a {@link ConfigError} unless `shape` has as many elements as `from`.
 * @internal
 */
export function assertSameSize(from: readonly number[], shape: readonly number[], field = 'shape'): void {
  if (sizeOfShape(from) !== sizeOfShape(shape) || shape.some((d) => !Number.isInteger(d) || d <= 0)) {
    throw new ConfigError(field, `cannot view examples of shape [${from}] as [${shape}]`);
  }
}

/**
 * A {@link Dataset} over float data already in memory, such as a small set
 * built in a test or values read from a CSV file.
 *
 * @example
 * ```ts
 * import { ArrayDataset, range } from '@aekit/core';
 *
 * // Four examples of three features each, with a class label per example.
 * const data = new ArrayDataset(new Float32Array([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]), [3], new Int32Array([0, 1, 0, 1]));
 * data.size; // 4
 * data.batch(range(0, 2)).shape; // [2, 3]
 * ```
 */
export class ArrayDataset implements Dataset {
  readonly size: number;
  readonly exampleShape: readonly number[];
  /**
   * Class label of each given example; absent when the data has no labels,
   * so that pictures and scores that need labels know to leave them out.
   */
  readonly labels?: (indices: ArrayLike<number>) => Int32Array;
  private readonly values: Float32Array;
  private readonly classLabels?: Int32Array;

  /**
   * @param values - All examples back to back, `size * prod(exampleShape)` floats.
   * @param exampleShape - Shape of one example.
   * @param labels - Optional integer class label per example.
   */
  constructor(values: Float32Array, exampleShape: readonly number[], labels?: Int32Array) {
    const per = sizeOfShape(exampleShape);
    if (per <= 0 || values.length % per !== 0) {
      throw new ConfigError('values', `length ${values.length} is not a multiple of the example size ${per}`);
    }
    this.values = values;
    this.exampleShape = [...exampleShape];
    this.size = values.length / per;
    if (labels && labels.length !== this.size) {
      throw new ConfigError('labels', `expected ${this.size} labels, got ${labels.length}`);
    }
    this.classLabels = labels;
    if (labels) this.labels = (indices) => Int32Array.from(indices, (i) => labels[checkIndex(i, this.size)]);
  }

  /**
   * Wraps a tensor `[n, ...exampleShape]` (its values are copied out).
   *
   * @param x - Examples `[n, ...exampleShape]`; the first axis counts them.
   * @param labels - Integer class label of each example, if the data has labels.
   */
  static fromTensor(x: tf.Tensor, labels?: Int32Array): ArrayDataset {
    return new ArrayDataset(x.dataSync() as Float32Array, x.shape.slice(1), labels);
  }

  batch(indices: ArrayLike<number>): tf.Tensor {
    const per = sizeOfShape(this.exampleShape);
    const out = new Float32Array(indices.length * per);
    for (let i = 0; i < indices.length; i++) {
      const start = checkIndex(indices[i], this.size) * per;
      out.set(this.values.subarray(start, start + per), i * per);
    }
    return tf.tensor(out, [indices.length, ...this.exampleShape], 'float32');
  }

  reshape(shape: readonly number[]): ArrayDataset {
    assertSameSize(this.exampleShape, shape);
    return new ArrayDataset(this.values, shape, this.classLabels);
  }

  subset(indices: ArrayLike<number>): ArrayDataset {
    const x = this.batch(indices);
    const values = x.dataSync() as Float32Array;
    x.dispose();
    return new ArrayDataset(values, this.exampleShape, this.labels?.(indices));
  }
}

/** @internal */
export function checkIndex(i: number, size: number): number {
  if (!Number.isInteger(i) || i < 0 || i >= size) {
    throw new RangeError(`example index ${i} is outside 0..${size - 1}`);
  }
  return i;
}

/**
 * Splits a dataset into a training part and a validation part by a seeded
 * shuffle, e.g. `splitDataset(train, 0.1, seed)` keeps 10% for validation.
 *
 * @param data - The dataset to split.
 * @param fraction - Share of examples for validation, in (0, 1).
 * @param seed - Seed of the shuffle.
 * @example
 * ```ts
 * import { ArrayDataset, splitDataset } from '@aekit/core';
 *
 * const data = new ArrayDataset(new Float32Array(100 * 4), [4]);
 * const { train, validation } = splitDataset(data, 0.1, 0);
 * [train.size, validation.size]; // [90, 10]
 * ```
 */
export function splitDataset(data: Dataset, fraction: number, seed: number): { train: Dataset; validation: Dataset } {
  const { train, validation } = splitIndices(data.size, fraction, seed);
  return { validation: data.subset(validation), train: data.subset(train) };
}

/**
 * The positions {@link splitDataset} puts in each part: a seeded shuffle,
 * the first `max(1, round(size * fraction))` for validation.
 *
 * @param size - Number of examples.
 * @param fraction - Share of examples for validation, in (0, 1).
 * @param seed - Seed of the shuffle.
 * @throws ConfigError naming `validationSplit` for a fraction outside (0, 1) or one that leaves no training examples.
 * @example
 * ```ts
 * import { splitIndices } from '@aekit/core';
 *
 * splitIndices(10, 0.2, 0); // { validation: Int32Array [3, 0], train: Int32Array [8, 9, 6, 2, 4, 1, 7, 5] }
 * ```
 */
export function splitIndices(size: number, fraction: number, seed: number): { train: Int32Array; validation: Int32Array } {
  if (!(fraction > 0 && fraction < 1)) {
    throw new ConfigError('validationSplit', `expected a number between 0 and 1 (exclusive), got ${fraction}`);
  }
  const order = shuffledIndices(size, seed);
  const nVal = Math.max(1, Math.round(size * fraction));
  if (nVal >= size) {
    throw new ConfigError('validationSplit', `leaves no training examples out of ${size}`);
  }
  return { validation: order.subarray(0, nVal), train: order.subarray(nVal) };
}

/**
 * Indices `start .. end-1` as an Int32Array.
 *
 * @param start - First index.
 * @param end - One past the last index.
 * @example
 * ```ts
 * import { range } from '@aekit/core';
 *
 * range(3, 7); // Int32Array [3, 4, 5, 6]
 * ```
 */
export function range(start: number, end: number): Int32Array {
  const out = new Int32Array(Math.max(0, end - start));
  for (let i = 0; i < out.length; i++) out[i] = start + i;
  return out;
}
