import { resolve } from 'node:path';
import type { DatasetLoadOptions, ImputeStrategy, LoadedDataset } from '@aekit/core';
import { readTable, TEST_FRACTION, type ReadTableResult, type RowFilter, type TableProgress } from './read-table.js';

/** Options of {@link loadTableDataset}: a dataset's load options, the table's column choices and a progress callback. */
export interface TableLoadOptions extends DatasetLoadOptions {
  /** Keep only these columns as features. */
  columns?: readonly string[];
  /** Leave these columns out. */
  drop?: readonly string[];
  /** Fill empty cells with the training rows' mean, median or most frequent value instead of skipping their rows. */
  impute?: ImputeStrategy;
  /** Most categories a text column may have to be one-hot encoded (50, data-tables' `MAX_CATEGORIES`, unless given). */
  maxCategories?: number;
  /** The field delimiter of a CSV-like file; detected unless given. */
  delimiter?: string;
  /** Train only on rows where a column holds a value (`--train-where anomaly=0`). */
  trainWhere?: RowFilter;
  /** Called as the file is read, for a progress bar (see `ReadTableOptions.onProgress`). */
  onProgress?: (progress: TableProgress) => void;
}

/**
 * A table as `ae train --data records.csv` (and `ae eval`) load it: the
 * training and test splits as datasets of standardised features, the
 * preprocessing to save with the model, the label's values as class
 * names, lines about what was read, filled, skipped and left out, and a
 * description of the data: standardised features are unbounded (not in
 * [0, 1]), from which the families choose their output layer and loss.
 *
 * @param file - The table file.
 * @param options - Label column, column choices, missing values, bad-row policy, split, limits, a saved description to reuse, and a progress callback.
 */
export async function loadTableDataset(file: string, options: TableLoadOptions): Promise<LoadedDataset> {
  const path = resolve(file);
  const table = await readTable(path, {
    label: options.label,
    skipBad: options.skipBad,
    preprocessing: options.preprocessing?.kind === 'table' ? options.preprocessing : undefined,
    seed: options.splitSeed ?? options.seed,
    testFraction: options.testSplit ?? TEST_FRACTION,
    trainLimit: options.trainLimit,
    testLimit: options.testLimit,
    columns: options.columns,
    drop: options.drop,
    impute: options.impute,
    maxCategories: options.maxCategories,
    delimiter: options.delimiter,
    trainWhere: options.trainWhere,
    onProgress: options.onProgress,
  });
  const features = table.preprocessing.scaler.mean.length;
  return {
    train: table.train.data,
    test: table.test.data,
    source: path,
    preprocessing: table.preprocessing,
    classes: table.preprocessing.labelClasses,
    testIds: Array.from(table.test.lines, (line) => `${table.unit} ${line}`),
    description: { values: 'unbounded' },
    warnings: [`read ${table.train.lines.length} training and ${table.test.lines.length} test rows of ${features} features from ${path}`, ...tableNotes(table, options.trainWhere)],
  };
}

/**
 * Lines for the user about a table as read: what was left out, filled,
 * skipped or excluded, and why.
 *
 * @param table - The table as read.
 * @param trainWhere - The training filter, if one was applied.
 */
export function tableNotes(table: ReadTableResult, trainWhere?: RowFilter): string[] {
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const lines = [...table.notes];
  if (table.skipped > 0) lines.push(`skipped ${plural(table.skipped, 'bad row')} of ${table.file} (the first: ${table.firstSkipped})`);
  if (table.incomplete > 0) {
    lines.push(
      `skipped ${plural(table.incomplete, 'row')} with empty cells (the first: ${table.firstIncomplete})` +
        `${table.preprocessing.missing === 'skip' ? '; pass --impute mean|median|most-frequent to fill them instead' : ''}`,
    );
  }
  if (trainWhere && table.excluded > 0) lines.push(`trained on the rows with ${trainWhere.column} ${trainWhere.not ? '!=' : '='} '${trainWhere.value}': left out ${plural(table.excluded, 'other training row')}`);
  return lines;
}
