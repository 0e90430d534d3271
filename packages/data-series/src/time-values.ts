/**
 * Reading the cells of a series file: numbers, missing values and times.
 * The table reader's cell functions decide what is a number, a date and
 * what is missing; this file adds the month and quarter forms a series'
 * time column may have.
 */
import type { TimeKind } from '@aekit/core';
import { FLOAT32_MAX, isMissing, parseDate, parseNumber, type CellValue } from '@aekit/data-tables';

export { FLOAT32_MAX, isMissing, parseNumber, type CellValue };

// "2000-01" (a month), "2000-Q1" (a quarter).
const YEAR_MONTH = /^(\d{4})-(\d{1,2})$/;
const YEAR_QUARTER = /^(\d{4})-?Q([1-4])$/i;

/**
 * A time in milliseconds since 1970-01-01 UTC, or undefined when the cell
 * is none. Reads what the table reader's `parseDate` reads (ISO 8601
 * dates and times, read as UTC without a zone, and dates with the month
 * named: `Jan 1 2000`, `January 1, 2000`, `1 Jan 2000`) and two forms
 * series files often have: months (`2000-01`) and quarters (`2000-Q1`).
 *
 * @example
 * ```ts
 * parseTime('Jan 1 2000') === Date.UTC(2000, 0, 1); // true
 * ```
 * @param value - The cell as read.
 */
export function parseTime(value: CellValue | undefined): number | undefined {
  const iso = parseDate(value);
  if (iso !== undefined || typeof value !== 'string') return iso;
  const text = value.trim();
  let m = YEAR_MONTH.exec(text);
  if (m) return utc(Number(m[1]), Number(m[2]), 1);
  m = YEAR_QUARTER.exec(text);
  return m ? utc(Number(m[1]), 3 * Number(m[2]) - 2, 1) : undefined;
}

/**
 * A time column's cell as a time: a number (`timeKind: 'number'`, such as a
 * year or a step) or a date (`'date'`).
 *
 * @param value - The cell as read.
 * @param kind - How the column is read.
 */
export function timeOf(value: CellValue | undefined, kind: TimeKind): number | undefined {
  return kind === 'number' ? parseNumber(value) : parseTime(value);
}

/**
 * A time for people: `2000-01-31` for a date at midnight UTC,
 * `2000-01-31T10:30:00Z` with a time of day, the number itself otherwise.
 *
 * @param time - Milliseconds since 1970 UTC, or a number.
 * @param kind - What the number is.
 */
export function formatTime(time: number, kind: TimeKind | undefined): string {
  if (kind !== 'date') return String(time);
  const iso = new Date(time).toISOString();
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.replace('.000Z', 'Z');
}

function utc(year: number, month: number, day: number): number | undefined {
  return month >= 1 && month <= 12 ? Date.UTC(year, month - 1, day) : undefined;
}
