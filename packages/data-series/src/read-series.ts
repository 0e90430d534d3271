import { DataFileError } from '@aekit/core';
import { openTable } from '@aekit/data-tables';
import type { SeriesRecord, SeriesColumnOptions, ReadSeries } from './series-records.js';
import { seriesFromRecords } from './series-records.js';

/** Options of {@link readSeries}. */
export interface ReadSeriesOptions extends SeriesColumnOptions {
  /** The field delimiter of a CSV-like file; detected unless given. */
  delimiter?: string;
}

/**
 * Reads a series file: CSV, TSV, JSON lines, a JSON array of objects or
 * Parquet (whatever `@aekit/data-tables` reads), one row per point in
 * time. See {@link seriesFromRecords} for how columns, times and empty
 * cells are read.
 *
 * @example
 * ```ts
 * const { series, notes } = await readSeries('co2.csv', { timeColumn: 'Date', valueColumns: ['CO2'] });
 * ```
 * @param file - Path of the file.
 * @param options - Columns (given, or a saved model's) and the delimiter.
 * @throws DataFileError naming the file, line and column of the first problem.
 */
export async function readSeries(file: string, options: ReadSeriesOptions = {}): Promise<ReadSeries & { delimiter?: string }> {
  const opened = await openTable(file, { delimiter: options.delimiter ?? options.saved?.delimiter });
  const records: SeriesRecord[] = [];
  for await (const record of opened.rows()) {
    if (record.problem) throw new DataFileError(file, `line ${record.line}: ${record.problem}`);
    if (record.values.length !== opened.header.length) {
      throw new DataFileError(file, `line ${record.line}: expected ${opened.header.length} fields as in the header, got ${record.values.length}`);
    }
    records.push({ line: record.line, values: record.values });
  }
  const { delimiter } = opened;
  const read = seriesFromRecords(opened.header, records, file, options);
  return { ...read, columns: { ...read.columns, ...(delimiter && delimiter !== ',' ? { delimiter } : {}) }, delimiter };
}
