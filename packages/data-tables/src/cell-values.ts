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

// ISO 8601 and its common variants: 2012-01-31, 2012/01/31, 2012-01-31 10:00, 2012-01-31T10:00:00.5Z, +02:00 offsets.
const DATE = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?\s*(Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * A date or time in milliseconds since 1970-01-01 UTC, or undefined when
 * the value is not one. Reads ISO 8601 dates and times (`2012-01-31`,
 * `2012-01-31T10:00:00Z`, with `/` or a space too); a time without a zone
 * is read as UTC, so the same file gives the same features on every
 * machine. Day-first and month-first forms (`01/02/2012`) are ambiguous and
 * not read.
 *
 * @param value - The cell as read.
 */
export function parseDate(value: CellValue | undefined): number | undefined {
  if (typeof value !== 'string') return undefined;
  const m = DATE.exec(value.trim());
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i] ?? 0));
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return undefined;
  const fraction = m[7] ? Number(`0.${m[7]}`) * 1000 : 0;
  let time = Date.UTC(year, month - 1, day, hour, minute, second, fraction);
  // Date.UTC rolls 2012-02-31 over to March; such a value is no date.
  if (new Date(time).getUTCDate() !== day) return undefined;
  const zone = m[8];
  if (zone && zone !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    time -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
  }
  return time;
}

/** Values that look like dates in a form {@link parseDate} does not read, such as `01/02/2012` or `31.12.2019`. */
const OTHER_DATE = /^\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}(?:[T ]\d{1,2}:\d{2}(?::\d{2})?)?$/;

/**
 * Whether a value looks like a date in a form that is not read (day or
 * month first), so its column can be dropped with a line that says why.
 *
 * @param value - The cell as read.
 */
export function looksLikeOtherDate(value: CellValue | undefined): boolean {
  return typeof value === 'string' && OTHER_DATE.test(value.trim());
}
