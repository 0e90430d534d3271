import type { Dataset, tf } from '@aekit/core';

/**
 * A dataset of (input, target) pairs, such as dirty and clean patches of
 * the same page: `batch(indices)` builds the targets and `inputs(indices)`
 * the inputs a model should turn into them. Core's trainer, `evaluate` and
 * `ae train`'s pictures feed `inputs` to the model and compare its output
 * with `batch`; this type only makes the optional `Dataset.inputs` required.
 */
export interface PairedDataset extends Dataset {
  /**
   * Builds the float32 inputs `[indices.length, ...exampleShape]` paired with
   * `batch(indices)`. The caller owns (and must dispose) the tensor.
   *
   * @param indices - Positions of the examples in this dataset, as for `batch`.
   */
  inputs(indices: ArrayLike<number>): tf.Tensor;
}

/**
 * True when a dataset has paired inputs ({@link PairedDataset}).
 *
 * @param data - Any dataset.
 */
export function isPairedDataset(data: Dataset): data is PairedDataset {
  return typeof (data as Partial<PairedDataset>).inputs === 'function';
}
