import { AeError, standardize, type PreparedItems, type PrepareOptions, type PreprocessingReader, type RawItem, type TablePreprocessing } from '@aekit/core';
import type { CellValue } from './cell-values.js';
import { encodeRow, featureCount } from './feature-layout.js';
import { readTable } from './read-table.js';
import { TABLE_FILE_PATTERN } from './records.js';

/**
 * How `@aekit/data-tables` applies a table description to raw rows, for
 * every command that meets them (`ae score <run> new.csv`, `ae infer`,
 * serving): a table file read by {@link readTable} with the saved columns,
 * categories, fill values and scaler, every row an item; or rows held in
 * memory as objects. Registered with core's `preprocessors` when the
 * package is imported.
 */
export const tableReader: PreprocessingReader<'table'> = {
  kind: 'table',
  reads: 'a table file (.csv, .tsv, .jsonl, .ndjson, .json, .parquet)',

  async accepts(path: string): Promise<boolean> {
    return TABLE_FILE_PATTERN.test(path);
  },

  async read(paths: readonly string[], preprocessing: TablePreprocessing, options: PrepareOptions = {}): Promise<PreparedItems> {
    if (paths.length !== 1) throw new AeError('preprocessing', `give one table file, not ${paths.length}`);
    const [file] = paths;
    const table = await readTable(file, {
      preprocessing,
      testFraction: 1,
      testLimit: options.limit,
      skipBad: options.skipBad,
      standardize: !options.inModel?.includes('scale'),
      onProgress: options.onProgress,
    });
    const skipped = table.skipped + table.incomplete;
    const firstSkipped = [table.firstSkipped, table.firstIncomplete && `${table.firstIncomplete} (the model has no fill value for it)`].filter(Boolean).join('; ');
    return {
      data: table.test.data,
      ids: Array.from(table.test.lines, (line) => `${table.unit} ${line}`),
      idHeader: table.unit,
      classes: table.preprocessing.labelClasses,
      skipped,
      ...(skipped > 0 ? { firstSkipped } : {}),
      source: file,
    };
  },

  async prepare(items: readonly RawItem[], preprocessing: TablePreprocessing, options: Pick<PrepareOptions, 'inModel'> = {}): Promise<Float32Array> {
    const { columns } = preprocessing;
    const features = featureCount(columns);
    const out = new Float32Array(items.length * features);
    const positions = columns.map((_, i) => i);
    const row = new Float32Array(features);
    for (const [i, item] of items.entries()) {
      if (item instanceof Uint8Array || typeof item !== 'object' || item === null) throw new AeError('invalid-input', `items[${i}]: expected a row as an object of column values`);
      const values = columns.map((c) => cell((item as Record<string, unknown>)[c.name]));
      const problem = encodeRow(columns, positions, values, row);
      if (problem) throw new AeError('invalid-input', `items[${i}]: ${problem.problem}${problem.missing ? ' (the model has no fill value for it)' : ''}`);
      out.set(row, i * features);
    }
    return options.inModel?.includes('scale') ? out : standardize(out, preprocessing.scaler);
  },
};

function cell(value: unknown): CellValue {
  if (value === undefined) return null;
  if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  return String(value);
}
