import { resolve } from 'node:path';
import type { DatasetLoadOptions, LoadedDataset } from '@aekit/core';
import { readTable } from './read-table.js';

/**
 * A table as `ae train --data records.csv` (and `ae eval`) load it: the
 * training and test splits as datasets of standardised features, the
 * encoding to save with the model, and `output: 'linear'` for the dense
 * families (standardised features are not bounded to [0, 1]).
 *
 * @param file - The table file.
 * @param options - Label column, bad-row policy, limits, seed, and a saved encoding to reuse.
 */
export async function loadTableDataset(file: string, options: DatasetLoadOptions): Promise<LoadedDataset> {
  const path = resolve(file);
  const table = await readTable(path, {
    label: options.label,
    skipBad: options.skipBad,
    encoding: options.encoding,
    seed: options.seed,
    trainLimit: options.trainLimit,
    testLimit: options.testLimit,
  });
  const features = table.encoding.scaler.mean.length;
  const warnings = table.skipped > 0 ? [`skipped ${table.skipped} bad row${table.skipped > 1 ? 's' : ''} of ${path} (the first: ${table.firstSkipped})`] : [];
  return {
    train: table.train.data,
    test: table.test.data,
    source: path,
    encoding: table.encoding,
    familyConfig: { output: 'linear' },
    warnings: [`read ${table.train.lines.length} training and ${table.test.lines.length} test rows of ${features} features from ${path}`, ...warnings],
  };
}
