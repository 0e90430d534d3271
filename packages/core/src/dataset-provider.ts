import type { Dataset } from './dataset.js';
import type { DataDescription } from './data-description.js';
import type { Preprocessing } from './preprocessing.js';

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
  /** Apply this preprocessing (a saved model's) instead of fitting one on the training split. */
  preprocessing?: Preprocessing;
  /** Share of the items held out for testing (the reader's default unless given). */
  testSplit?: number;
  /** Seed of the train/test draw; `seed` unless given. */
  splitSeed?: number;
}

/** Training and test data from a {@link DatasetProvider}. */
export interface LoadedDataset {
  train: Dataset;
  test: Dataset;
  /** Where the data came from, for `metrics.json` (a directory, or a generator's settings). */
  source: string;
  /** How a raw item became one of these examples (an image's size and background, a table's columns and scaler); saved with the model. */
  preprocessing?: Preprocessing;
  /** Name of each label class (sub-folders, a label column's values): class `i` is `classes[i]`. */
  classes?: string[];
  /** An id for each test example, in order (an image's file, `line 12` of a table), for per-item results such as scores. */
  testIds?: string[];
  /**
   * What the examples are, e.g. `{ values: 'unbounded' }` for standardised
   * table features; families read it to choose their output and loss.
   * Values in [0, 1] (`UNIT_INTERVAL_DATA`) when not given.
   */
  description?: DataDescription;
  /** Releases what the data holds open (a decoded cache on disk); `ae` calls it when the command is done. */
  close?(): Promise<void>;
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
