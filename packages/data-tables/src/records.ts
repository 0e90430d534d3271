import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { createInterface } from 'node:readline';
import { parse, type CsvError } from 'csv-parse';
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects, parquetSchema } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { DataFileError } from '@aekit/core';

/** File formats a table can be read from. */
export type TableFormat = 'csv' | 'tsv' | 'jsonl' | 'json' | 'parquet';

/** File names the table reader takes: `.csv`, `.tsv`, `.jsonl`/`.ndjson` (JSON lines), `.json` (JSON lines or one array of objects) and `.parquet`. */
export const TABLE_FILE_PATTERN = /\.(csv|tsv|jsonl|ndjson|json|parquet)$/i;

/**
 * What a {@link RawRecord}'s `line` counts, and messages and item ids say:
 * the `line` of a CSV, TSV or JSON-lines file, the `record` of a JSON array
 * (its position, wherever its lines are), the `row` of a Parquet file.
 */
export type RowUnit = 'line' | 'record' | 'row';

/** One data row as read: where it is (1-based; the header is line 1 of a CSV) and its values in header order. */
export interface RawRecord {
  /** Line of the file the row ends on; for a JSON array the record's position, for Parquet the row's (1-based): see {@link OpenedTable.unit}. */
  line: number;
  /** Values as written: strings from CSV, numbers, strings or null from JSON. */
  values: (string | number | boolean | null)[];
  /** Why the row does not fit the header, for a JSON object with other keys (CSV rows are checked by their length). */
  problem?: string;
  /** Bytes of the file read up to this row, where the format streams (CSV, TSV, JSON lines); for progress bars. */
  offset?: number;
}

/** A row that could not be read as a record at all (a broken quote in a CSV, a line that is not JSON). */
export interface UnreadableRecord {
  /** Where it is. */
  line: number;
  /** What is wrong. */
  problem: string;
}

/** Options of {@link openTable}. */
export interface ReadRecordsOptions {
  /**
   * Called for a row that cannot be parsed; when absent, such a row throws a DataFileError.
   *
   * @param record - Where the row is and what is wrong with it.
   */
  onUnreadable?(record: UnreadableRecord): void;
  /** The field delimiter of a CSV or TSV file; detected from its first lines unless given. */
  delimiter?: string;
}

/** A table opened for reading. */
export interface OpenedTable {
  /** Column names, as in the header. */
  header: string[];
  /** Starts a new pass over the data rows. */
  rows: () => AsyncGenerator<RawRecord>;
  /** The field delimiter of a CSV or TSV file, as given or detected. */
  delimiter?: string;
  /** What the rows' `line` counts: lines of the file, records of a JSON array or rows of a Parquet file. */
  unit: RowUnit;
}

/** Delimiters {@link detectDelimiter} chooses from. */
export const DELIMITERS = [',', ';', '\t', '|'] as const;

/**
 * The format of a table file, from its name.
 *
 * @param file - Path or name of the file; only its extension is looked at.
 * @throws DataFileError when the extension is not one of a table.
 */
export function tableFormat(file: string): TableFormat {
  const ext = extname(file).toLowerCase();
  if (ext === '.csv') return 'csv';
  if (ext === '.tsv') return 'tsv';
  if (ext === '.jsonl' || ext === '.ndjson') return 'jsonl';
  if (ext === '.json') return 'json';
  if (ext === '.parquet') return 'parquet';
  throw new DataFileError(file, 'is not a table file; expected .csv, .tsv, .jsonl, .ndjson, .json or .parquet');
}

/**
 * A table file's header and a fresh stream of its rows. CSV, TSV and JSON
 * lines are streamed from disk (memory stays bounded by one chunk, whatever
 * the file's size); a `.json` file holding one array of objects is parsed
 * whole. Rows come with their line numbers so errors can name them.
 *
 * @param file - Path of the table.
 * @param options - What to do with a row that cannot be parsed.
 * @returns The header (column names) and a function that starts a new pass over the rows.
 * @throws DataFileError naming the file when it is missing, empty or has no header.
 */
export async function openTable(file: string, options: ReadRecordsOptions = {}): Promise<OpenedTable> {
  const format = tableFormat(file);
  try {
    if (!(await stat(file)).isFile()) throw new DataFileError(file, 'is not a file');
  } catch (error) {
    if (error instanceof DataFileError) throw error;
    throw new DataFileError(file, (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : `cannot be read (${(error as Error).message})`);
  }
  if (format === 'csv' || format === 'tsv') {
    const delimiter = options.delimiter ?? (await detectDelimiter(file, format === 'csv' ? ',' : '\t'));
    let header: string[] | undefined;
    for await (const record of csvRecords(file, delimiter, options, true)) {
      header = record.values.map(String);
      break;
    }
    if (!header) throw new DataFileError(file, 'is empty; expected a header row and data rows');
    return { header: checkHeader(file, header), rows: () => skipFirst(csvRecords(file, delimiter, options, false)), delimiter, unit: 'line' };
  }
  if (format === 'parquet') return openParquet(file);
  if (format === 'json' && (await startsWithBracket(file))) {
    const items = await readJsonArray(file);
    const header = checkHeader(file, Object.keys(items[0] ?? {}));
    return { header, rows: () => objectRows(file, items, header), unit: 'record' };
  }
  let header: string[] | undefined;
  for await (const { object } of jsonLines(file, options)) {
    header = Object.keys(object);
    break;
  }
  if (!header) throw new DataFileError(file, 'is empty; expected one JSON object per line');
  const columns = checkHeader(file, header);
  return { header: columns, rows: () => jsonLineRows(file, columns, options), unit: 'line' };
}

/**
 * The field delimiter of a CSV-like file, from its first lines: of comma,
 * semicolon, tab and bar, the one found the same number of times (outside
 * quotes) on every line, the most often; `fallback` when none is.
 *
 * @param file - The file.
 * @param fallback - The delimiter its name implies (`,` for `.csv`, tab for `.tsv`).
 */
export async function detectDelimiter(file: string, fallback: string): Promise<string> {
  const stream = createReadStream(file, { start: 0, end: 65_535, encoding: 'utf8' });
  let text = '';
  for await (const chunk of stream) text += chunk;
  // Quoted fields may hold any delimiter; count outside them, on whole lines only.
  const lines = text.replace(/^\uFEFF/, '').replace(/"[^"]*"/g, '""').split(/\r?\n/).slice(0, 20);
  if (lines.length > 1) lines.pop();
  const filled = lines.filter((line) => line.trim() !== '');
  let best = { delimiter: fallback, count: 0 };
  for (const delimiter of DELIMITERS) {
    const counts = filled.map((line) => line.split(delimiter).length - 1);
    const count = counts[0] ?? 0;
    const steady = count > 0 && counts.every((c) => c === count);
    if (steady && (count > best.count || (count === best.count && delimiter === fallback))) best = { delimiter, count };
  }
  return best.delimiter;
}

async function* csvRecords(file: string, delimiter: string, options: ReadRecordsOptions, headerOnly: boolean): AsyncGenerator<RawRecord> {
  const parser = createReadStream(file).pipe(
    parse({
      delimiter,
      bom: true,
      trim: true,
      info: true,
      // Wrong column counts are reported by the caller, who knows the header.
      relax_column_count: true,
      skip_empty_lines: true,
      skip_records_with_error: Boolean(options.onUnreadable) && !headerOnly,
    }),
  );
  parser.on('skip', (error: CsvError) => options.onUnreadable?.({ line: Number(error.lines ?? 0), problem: error.message }));
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number; bytes: number } }>) {
      yield { line: info.lines, values: record, offset: info.bytes };
      if (headerOnly) break;
    }
  } catch (error) {
    const csv = error as CsvError;
    throw new DataFileError(file, `${csv.lines ? `line ${Number(csv.lines)}: ` : ''}${csv.message}`);
  } finally {
    parser.destroy();
  }
}

async function* skipFirst(records: AsyncGenerator<RawRecord>): AsyncGenerator<RawRecord> {
  let first = true;
  for await (const record of records) {
    if (first) first = false;
    else yield record;
  }
}

async function* jsonLines(file: string, options: ReadRecordsOptions): AsyncGenerator<{ line: number; object: Record<string, unknown>; offset: number }> {
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  let line = 0;
  let offset = 0;
  try {
    for await (const text of lines) {
      line++;
      // The line and its line break (CRLF files count one byte short a line: close enough for a progress bar).
      offset += Buffer.byteLength(text) + 1;
      if (text.trim() === '') continue;
      let object: unknown;
      try {
        object = JSON.parse(text);
      } catch (error) {
        const problem = `is not JSON (${(error as Error).message})`;
        if (options.onUnreadable) {
          options.onUnreadable({ line, problem });
          continue;
        }
        throw new DataFileError(file, `line ${line}: ${problem}`);
      }
      if (object === null || typeof object !== 'object' || Array.isArray(object)) {
        const problem = 'expected a JSON object of column values';
        if (options.onUnreadable) {
          options.onUnreadable({ line, problem });
          continue;
        }
        throw new DataFileError(file, `line ${line}: ${problem}`);
      }
      yield { line, object: object as Record<string, unknown>, offset };
    }
  } finally {
    lines.close();
  }
}

async function* jsonLineRows(file: string, header: string[], options: ReadRecordsOptions): AsyncGenerator<RawRecord> {
  for await (const { line, object, offset } of jsonLines(file, options)) yield { ...objectRecord(line, object, header), offset };
}

async function* objectRows(file: string, items: unknown[], header: string[]): AsyncGenerator<RawRecord> {
  for (const [i, item] of items.entries()) {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) throw new DataFileError(file, `record ${i + 1}: expected a JSON object of column values`);
    yield objectRecord(i + 1, item as Record<string, unknown>, header);
  }
}

/** The values of a JSON object in header order, with a problem when its keys are not the header's. */
function objectRecord(line: number, object: Record<string, unknown>, header: string[]): RawRecord {
  const missing = header.filter((k) => !(k in object));
  const extra = Object.keys(object).filter((k) => !header.includes(k));
  const problem =
    missing.length + extra.length === 0
      ? undefined
      : `expected the ${header.length} columns of the first row${missing.length ? `; missing ${missing.map((k) => `'${k}'`).join(', ')}` : ''}${extra.length ? `; unknown ${extra.map((k) => `'${k}'`).join(', ')}` : ''}`;
  return { line, values: header.map((k) => scalar(object[k])), problem };
}

function scalar(value: unknown): string | number | boolean | null {
  if (value === null || value === undefined) return null;
  // Parquet's INT64 columns read as bigint, its timestamps as Dates.
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  return JSON.stringify(value);
}

async function startsWithBracket(file: string): Promise<boolean> {
  const stream = createReadStream(file, { start: 0, end: 4095, encoding: 'utf8' });
  let text = '';
  for await (const chunk of stream) text += chunk;
  return text.replace(/^\uFEFF/, '').trimStart().startsWith('[');
}

async function readJsonArray(file: string): Promise<unknown[]> {
  let json: unknown;
  try {
    json = JSON.parse((await readFile(file, 'utf8')).replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new DataFileError(file, `is not valid JSON (${(error as Error).message})`);
  }
  if (!Array.isArray(json) || json.length === 0) throw new DataFileError(file, 'expected a non-empty array of objects, one per row');
  return json;
}

function checkHeader(file: string, header: string[]): string[] {
  if (header.length === 0) throw new DataFileError(file, 'has an empty header; expected column names');
  const seen = new Set<string>();
  header.forEach((name, i) => {
    if (name === '') throw new DataFileError(file, `header column ${i + 1} has no name`);
    if (seen.has(name)) throw new DataFileError(file, `header names column '${name}' twice`);
    seen.add(name);
  });
  return header;
}

/**
 * A Parquet file, read one row group at a time with hyparquet (pure
 * JavaScript), so memory is bounded by a row group, not the file; every
 * codec Parquet allows (snappy, gzip, brotli, ZSTD, LZ4) is read with
 * hyparquet-compressors. Rows are numbered from 1 in `line` (`unit` is `row`).
 */
async function openParquet(file: string): Promise<OpenedTable> {
  let metadata: Awaited<ReturnType<typeof parquetMetadataAsync>>;
  const buffer = await asyncBufferFromFile(file);
  try {
    metadata = await parquetMetadataAsync(buffer);
  } catch (error) {
    throw new DataFileError(file, `is not a readable Parquet file (${(error as Error).message})`);
  }
  const header = checkHeader(file, parquetSchema(metadata).children.map((c) => c.element.name));
  async function* rows(): AsyncGenerator<RawRecord> {
    let rowStart = 0;
    for (const group of metadata.row_groups) {
      const rowEnd = rowStart + Number(group.num_rows);
      let objects: Record<string, unknown>[];
      try {
        objects = await parquetReadObjects({ file: buffer, metadata, rowStart, rowEnd, compressors });
      } catch (error) {
        throw new DataFileError(file, `rows ${rowStart + 1}-${rowEnd}: cannot be read (${(error as Error).message})`);
      }
      for (const [i, object] of objects.entries()) yield objectRecord(rowStart + i + 1, object, header);
      rowStart = rowEnd;
    }
  }
  return { header, rows, unit: 'row' };
}
