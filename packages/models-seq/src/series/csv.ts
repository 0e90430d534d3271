import { parse, CsvError, type Info } from 'csv-parse/sync';
import { DataFileError } from '@aekit/core';
import { timeSeries, type TimeSeries } from './time-series.js';

/** Column names (any case) read as 0/1 anomaly labels. */
export const LABEL_COLUMNS = ['label', 'anomaly', 'is_anomaly'] as const;
/** Column names (any case) that hold time stamps; they are skipped. */
export const TIME_COLUMNS = ['time', 'timestamp', 'date', 'datetime'] as const;

/**
 * Reads a time series from CSV text: one row per point in time, one numeric
 * column per signal. A header row names the columns (without one, columns
 * are `x0`, `x1`, …); a column named `label`, `anomaly` or `is_anomaly`
 * holds 0/1 anomaly labels, and `time`, `timestamp`, `date` or `datetime`
 * columns are skipped. Lines starting with `#` and empty lines are ignored.
 *
 * @param text - The CSV text.
 * @param file - File name for error messages.
 * @throws DataFileError naming the file, the line and the column of the first problem.
 */
export function parseSeriesCsv(text: string, file: string): TimeSeries {
  let rows: { record: string[]; info: Info }[];
  try {
    // Rows of the wrong width are let through and reported below, with their line.
    const options = { info: true, skip_empty_lines: true, trim: true, comment: '#', bom: true, relax_column_count: true };
    // csv-parse's types do not model `info: true`, which wraps each record as { record, info }.
    rows = parse(text, options) as unknown as typeof rows;
  } catch (error) {
    if (error instanceof CsvError) throw new DataFileError(file, `line ${String(error.lines)}: ${error.message.replace(/ at line \d+$/, '')}`);
    throw error;
  }
  if (rows.length === 0) throw new DataFileError(file, 'has no rows');
  const hasHeader = rows[0].record.some((field) => !isNumber(field));
  const header = hasHeader ? rows[0].record : rows[0].record.map((_, i) => `x${i}`);
  const data = hasHeader ? rows.slice(1) : rows;
  const duplicate = header.find((name, i) => header.indexOf(name) !== i);
  if (duplicate !== undefined) throw new DataFileError(file, `line ${rows[0].info.lines}: column '${duplicate}' appears twice`);

  const role = header.map((name) => {
    const lower = name.toLowerCase();
    if ((LABEL_COLUMNS as readonly string[]).includes(lower)) return 'label';
    return (TIME_COLUMNS as readonly string[]).includes(lower) ? 'time' : 'value';
  });
  const labelColumns = header.filter((_, i) => role[i] === 'label');
  if (labelColumns.length > 1) throw new DataFileError(file, `has more than one label column: ${labelColumns.join(', ')}`);
  const valueColumns = role.flatMap((r, i) => (r === 'value' ? [i] : []));
  if (valueColumns.length === 0) throw new DataFileError(file, 'has no signal columns, only label or time columns');
  if (data.length < 2) throw new DataFileError(file, `has ${data.length} data rows; a series needs at least 2`);

  const labelColumn = role.indexOf('label');
  const values = new Float32Array(data.length * valueColumns.length);
  const labels = labelColumn >= 0 ? new Uint8Array(data.length) : undefined;
  data.forEach(({ record, info }, t) => {
    if (record.length !== header.length) {
      throw new DataFileError(file, `line ${info.lines}: expected ${header.length} fields as in the first row, got ${record.length}`);
    }
    valueColumns.forEach((column, c) => {
      const field = record[column];
      if (!isNumber(field)) {
        throw new DataFileError(file, `line ${info.lines}, column '${header[column]}': expected a number, got '${field}'`);
      }
      values[t * valueColumns.length + c] = Number(field);
    });
    if (labels) {
      const field = record[labelColumn].toLowerCase();
      if (!['0', '1', 'true', 'false'].includes(field)) {
        throw new DataFileError(file, `line ${info.lines}, column '${header[labelColumn]}': expected 0 or 1, got '${record[labelColumn]}'`);
      }
      labels[t] = field === '1' || field === 'true' ? 1 : 0;
    }
  });
  return timeSeries(values, valueColumns.length, { names: valueColumns.map((i) => header[i]), labels });
}

/** True for a field that is a finite number in decimal or exponent notation. */
function isNumber(field: string): boolean {
  return field.trim() !== '' && Number.isFinite(Number(field));
}
