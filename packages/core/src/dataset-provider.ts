import type { Dataset } from './dataset.js';
import type { DataEncoding } from './data-encoding.js';
import type { DataDescription } from './data-description.js';

/** Options a {@link DatasetProvider} receives from `ae train`. */
export interface DatasetLoadOptions {
  /** Use only the first N training examples. */
  trainLimit?: number;
  /** Use only the first N test examples. */
  testLimit?: number;
  /** A directory of the user's own files, where the provider reads any. */
  dir?: string;
  /** Seed for generated data. */
  seed: number;
  /** For tables: the column kept out of training as each row's label. */
  label?: string;
  /** Skip (and count) bad rows or files instead of stopping at the first. */
  skipBad?: boolean;
  /** Reuse this encoding (a saved model's) instead of fitting one on the training split. */
  encoding?: DataEncoding;
}

/** Training and test data from a {@link DatasetProvider}. */
export interface LoadedDataset {
  train: Dataset;
  test: Dataset;
  /** Where the data came from, for `metrics.json` (a directory, or a generator's settings). */
  source: string;
  /** How raw data became these examples (a table's columns and scaler); saved with the model. */
  encoding?: DataEncoding;
  /**
   * What the examples are, e.g. `{ values: 'unbounded' }` for standardised
   * table features; families read it to choose their output and loss.
   * Values in [0, 1] (`UNIT_INTERVAL_DATA`) when not given.
   */
  description?: DataDescription;
  /** Lines for the user about the data, e.g. how many bad rows were skipped. */
  warnings?: string[];
}

/**
 * A named source of training data that a plugin adds, selected with
 * `ae train --dataset <name>`; MNIST is the built-in default. Examples are
 * images `[height, width, channels]` with values in [0, 1] unless the
 * loaded dataset's `description` says otherwise.
 */
export interface DatasetProvider {
  readonly name: string;
  readonly description: string;
  /**
   * Loads the training and test sets and says where they came from.
   *
   * @param options - What `ae train` was asked for: limits, a data directory and the seed.
   */
  load(options: DatasetLoadOptions): Promise<LoadedDataset>;
}
