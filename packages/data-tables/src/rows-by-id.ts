import type { CellValue } from './cell-values.js';
import { openTable } from './records.js';

/**
 * The rows of a table file named by their ids (`line 12`, `record 3`,
 * `row 7`: what `ae score` writes), each as its cells by column name,
 * exactly as written in the file: one pass over the file, keeping only the
 * rows asked for. Values that went through the model's features come back
 * only approximately (float32, standardised, a date as a number of days, a
 * category the model never saw as no category at all); a user comparing a
 * row with its reconstruction wants the file's.
 *
 * @example
 * ```ts
 * import { rowsById } from '@aekit/data-tables';
 *
 * const rows = await rowsById('weather.csv', ['line 2', 'line 40']);
 * rows.get('line 40')?.date; // '2012-02-08', as the file has it
 * ```
 * @param file - The table file the ids count in.
 * @param ids - The rows wanted.
 * @param delimiter - The field delimiter of a CSV or TSV file (detected when absent).
 * @returns The rows found, by id; a row the file no longer has is absent.
 */
export async function rowsById(file: string, ids: Iterable<string>, delimiter?: string): Promise<Map<string, Record<string, CellValue>>> {
  const wanted = new Set(ids);
  const found = new Map<string, Record<string, CellValue>>();
  if (wanted.size === 0) return found;
  // A row that cannot be read is no row asked for (ids name rows that were read).
  const { header, rows, unit } = await openTable(file, { delimiter, onUnreadable: () => undefined });
  for await (const record of rows()) {
    const id = `${unit} ${record.line}`;
    if (!wanted.has(id)) continue;
    found.set(id, Object.fromEntries(header.map((name, j) => [name, record.values[j] ?? null])));
    if (found.size === wanted.size) break;
  }
  return found;
}
