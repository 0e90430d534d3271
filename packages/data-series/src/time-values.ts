/**
 * Reading the cells of a series file: numbers, missing values and times.
 * The table reader's cell functions decide what is a number and what is
 * missing; this file adds the time formats a series' time column has.
 */
import type { TimeKind } from '@aekit/core';
import { FLOAT32_MAX, isMissing, parseDate, parseNumber, type CellValue } from '@aekit/data-tables';

export { FLOAT32_MAX, isMissing, parseNumber, type CellValue };

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

// "Jan 1 2000", "January 1, 2000", "1 Jan 2000", "1-Jan-2000", optionally with a time "10:30[:15]".
const MONTH_FIRST = /^([a-z]{3,9})\.?\s+(\d{1,2}),?\s+(\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/i;
const DAY_FIRST = /^(\d{1,2})[\s-]([a-z]{3,9})\.?[\s-,]+(\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/i;
// "2000-01" (a month), "2000-Q1" (a quarter).
const YEAR_MONTH = /^(\d{4})-(\d{1,2})$/;
const YEAR_QUARTER = /^(\d{4})-?Q([1-4])$/i;

/**
 * A time in milliseconds since 1970-01-01 UTC, or undefined when the cell
 * is none. Reads what the table reader reads (ISO 8601 dates and times,
 * read as UTC without a zone) and the forms series files often have that
 * are not ambiguous: month names (`Jan 1 2000`, `January 1, 2000`,
 * `1 Jan 2000`), months (`2000-01`) and quarters (`2000-Q1`).
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
  if (m) return utc(Number(m[1]), 3 * Number(m[2]) - 2, 1);
  m = MONTH_FIRST.exec(text);
  if (m) return utc(Number(m[3]), monthOf(m[1]), Number(m[2]), m[4], m[5], m[6]);
  m = DAY_FIRST.exec(text);
  if (m) return utc(Number(m[3]), monthOf(m[2]), Number(m[1]), m[4], m[5], m[6]);
  return undefined;
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

function monthOf(name: string): number {
  return MONTHS.indexOf(name.slice(0, 3).toLowerCase()) + 1;
}

function utc(year: number, month: number, day: number, hour = '0', minute = '0', second = '0'): number | undefined {
  if (month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  const time = Date.UTC(year, month - 1, day, Number(hour), Number(minute), Number(second));
  return new Date(time).getUTCDate() === day && Number(hour) < 24 && Number(minute) < 60 ? time : undefined;
}
