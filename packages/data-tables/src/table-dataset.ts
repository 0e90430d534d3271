import { resolve } from 'node:path';
import type { DatasetLoadOptions, LoadedDataset } from '@aekit/core';
import { readTable, type TableProgress } from './read-table.js';

/** Options of {@link loadTableDataset}: a dataset's load options and a progress callback. */
export interface TableLoadOptions extends DatasetLoadOptions {
  /** Called as the file is read, for a progress bar (see `ReadTableOptions.onProgress`). */
  onProgress?: (progress: TableProgress) => void;
}

/**
 * A table as `ae train --data records.csv` (and `ae eval`) load it: the
 * training and test splits as datasets of standardised features, the
 * encoding to save with the model, and a description of the data:
 * standardised features are unbounded (not in [0, 1]), from which the
 * families choose their output layer and loss.
 *
 * @param file - The table file.
 * @param options - Label column, bad-row policy, limits, seed, a saved encoding to reuse, and a progress callback.
 */
export async function loadTableDataset(file: string, options: TableLoadOptions): Promise<LoadedDataset> {
  const path = resolve(file);
  const table = await readTable(path, {
    label: options.label,
    skipBad: options.skipBad,
    encoding: options.encoding,
    seed: options.seed,
    trainLimit: options.trainLimit,
    testLimit: options.testLimit,
    onProgress: options.onProgress,
  });
  const features = table.encoding.scaler.mean.length;
  const warnings = table.skipped > 0 ? [`skipped ${table.skipped} bad row${table.skipped > 1 ? 's' : ''} of ${path} (the first: ${table.firstSkipped})`] : [];
  return {
    train: table.train.data,
    test: table.test.data,
    source: path,
    encoding: table.encoding,
    description: { values: 'unbounded' },
    warnings: [`read ${table.train.lines.length} training and ${table.test.lines.length} test rows of ${features} features from ${path}`, ...warnings],
  };
}
