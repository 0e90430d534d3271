/**
 * What a single cell of a table holds: a number, a date, a category or
 * nothing. Every reader of the package (training, scoring, inference,
 * serving) reads cells through these functions, so a cell means the same
 * on every path.
 */

/** A value as read from a file: a string from CSV, a JSON value, or a Parquet value made scalar. */
export type CellValue = string | number | boolean | null;

/** The largest finite float32: a number beyond it would be Infinity in the model's input. */
export const FLOAT32_MAX = 3.4028234663852886e38;

/** Cells that stand for a missing value, as pandas' `read_csv` reads them (besides the empty cell and JSON's null). */
const MISSING_MARKERS = new Set(['NA', 'N/A', 'n/a', 'NaN', 'nan', 'null', 'NULL', 'None', '#N/A']);

/**
 * Whether a cell is missing: empty, null, or one of the markers pandas
 * reads as missing (`NA`, `N/A`, `NaN`, `null`, `None`, `#N/A`).
 *
 * @param value - The cell as read.
 */
export function isMissing(value: CellValue | undefined): boolean {
  if (value === null || value === undefined) return true;
  if (typeof value === 'number') return Number.isNaN(value);
  if (typeof value !== 'string') return false;
  const text = value.trim();
  return text === '' || MISSING_MARKERS.has(text);
}

/**
 * A value parsed as a number, or undefined when it is not one (missing, text, NaN or infinite).
 *
 * @param value - A value as read from the file: a string from CSV, or a JSON value.
 */
export function parseNumber(value: CellValue | undefined): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}

/**
 * A value as a category name: booleans and numbers as written, a missing
 * cell as `''`.
 *
 * @param value - The cell as read.
 */
export function categoryOf(value: CellValue | undefined): string {
  return isMissing(value) ? '' : String(value).trim();
}

// ISO 8601 and its common variants: 2012-01-31, 2012/01/31, then a time or not.
const ISO_DAY = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[T ](.*))?$/;
// A month by name, which no reader can take for a day: Jun 12 1998, June 12, 1998, Tue Jun 12 1998, Jan 1st 2000.
const MONTH_FIRST = /^(?:([a-z]+)\.?,?\s+)?([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})(?:,?\s+(.*))?$/i;
// 12 Jun 1998, 12-Jun-1998, Fri, 12 Jun 1998 10:00:00 GMT (RFC 2822, as mail and HTTP write dates).
const DAY_FIRST = /^(?:([a-z]+)\.?,?\s+)?(\d{1,2})(?:\s+|-)([a-z]+)\.?(?:,?\s+|-)(\d{4})(?:,?\s+(.*))?$/i;
// The time after a date: 10:00, 10:00:00.5, 10:00 PM, with a zone or not (Z, UTC, GMT, +02:00, -0500).
const TIME = /^(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?\s*(?:([ap])\.?m\.?)?\s*(Z|UTC|GMT|[+-]\d{2}:?\d{2})?$/i;

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

/** The month (1-12) an English month name or its abbreviation names (`Jun`, `June`, `Sept`), or undefined. */
function monthNamed(word: string): number | undefined {
  const w = word.toLowerCase();
  const i = MONTHS.findIndex((m) => m === w || (w.length >= 3 && m.startsWith(w) && (w.length === 3 || w === 'sept')));
  return i < 0 ? undefined : i + 1;
}

/** Whether a word names a day of the week, in full or abbreviated to three letters or more (`Tue`, `Tues`, `Tuesday`). */
function isWeekday(word: string | undefined): boolean {
  const w = word?.toLowerCase() ?? '';
  return w.length >= 3 && WEEKDAYS.some((d) => d.startsWith(w));
}

/** A date's year, month and day and the text after it, from ISO or a form with the month named; undefined for anything else. */
function splitDate(text: string): { year: number; month: number; day: number; time?: string } | undefined {
  const iso = ISO_DAY.exec(text);
  if (iso) return { year: Number(iso[1]), month: Number(iso[2]), day: Number(iso[3]), time: iso[4] };
  const monthFirst = MONTH_FIRST.exec(text);
  const named = monthFirst ?? DAY_FIRST.exec(text);
  if (!named || (named[1] !== undefined && !isWeekday(named[1]))) return undefined;
  const [monthWord, dayText] = monthFirst ? [named[2], named[3]] : [named[3], named[2]];
  const month = monthNamed(monthWord);
  return month === undefined ? undefined : { year: Number(named[4]), month, day: Number(dayText), time: named[5] };
}

/**
 * A date or time in milliseconds since 1970-01-01 UTC, or undefined when
 * the value is not one. Reads ISO 8601 dates and times (`2012-01-31`,
 * `2012-01-31T10:00:00Z`, with `/` or a space too) and dates whose month is
 * named in English (`Jun 12 1998`, `June 12, 1998`, `12 Jun 1998`,
 * `12-Jun-1998`, `Fri, 12 Jun 1998 10:00:00 GMT`, with a time, `AM`/`PM`
 * and a zone or not); a time without a zone is read as UTC, so the same
 * file gives the same features on every machine. Day-first and
 * month-first numbers (`01/02/2012`) are ambiguous and not read.
 *
 * @example
 * ```ts
 * import { parseDate } from '@aekit/data-tables';
 *
 * parseDate('1998-06-12') === parseDate('Jun 12 1998'); // true
 * parseDate('01/02/2012'); // undefined: January or February?
 * ```
 * @param value - The cell as read.
 */
export function parseDate(value: CellValue | undefined): number | undefined {
  if (typeof value !== 'string') return undefined;
  const date = splitDate(value.trim());
  if (!date) return undefined;
  const { year, month, day } = date;
  const clock = date.time === undefined ? undefined : TIME.exec(date.time.trim());
  if (date.time !== undefined && !clock) return undefined;
  const [clockHour, minute, second] = [1, 2, 3].map((i) => Number(clock?.[i] ?? 0));
  // 12 AM is midnight, 12 PM noon; a 13 PM is no time.
  const meridiem = clock?.[5]?.toLowerCase();
  if (meridiem && (clockHour < 1 || clockHour > 12)) return undefined;
  const hour = meridiem ? (clockHour % 12) + (meridiem === 'p' ? 12 : 0) : clockHour;
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return undefined;
  const fraction = clock?.[4] ? Number(`0.${clock[4]}`) * 1000 : 0;
  let time = Date.UTC(year, month - 1, day, hour, minute, second, fraction);
  // Date.UTC rolls 2012-02-31 over to March; such a value is no date.
  if (new Date(time).getUTCDate() !== day) return undefined;
  const zone = clock?.[6]?.toUpperCase();
  if (zone && zone !== 'Z' && zone !== 'UTC' && zone !== 'GMT') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    time -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
  }
  return time;
}

/** Values that look like dates in a form {@link parseDate} does not read, such as `01/02/2012` or `31.12.2019`. */
const OTHER_DATE = /^\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}(?:[T ]\d{1,2}:\d{2}(?::\d{2})?)?$/;
/** A named month with a two-digit year (`Jun 12 98`, `12-Jun-98`): which century is a guess. */
const NAMED_MONTH_SHORT_YEAR = /^(?:([a-z]+)\.?\s+(\d{1,2})|(\d{1,2})[\s-]([a-z]+)\.?),?[\s-](\d{2})$/i;

/**
 * Whether a value looks like a date in a form that is not read (day or
 * month first in numbers, a two-digit year), so its column can be dropped
 * with a line that says why.
 *
 * @param value - The cell as read.
 */
export function looksLikeOtherDate(value: CellValue | undefined): boolean {
  if (typeof value !== 'string') return false;
  const text = value.trim();
  if (OTHER_DATE.test(text)) return true;
  const short = NAMED_MONTH_SHORT_YEAR.exec(text);
  return short !== null && monthNamed(short[1] ?? short[4]) !== undefined;
}
