import type { DatePart, FeatureScaler, TableColumnEncoding } from '@aekit/core';
import { categoryOf, FLOAT32_MAX, isMissing, parseDate, parseNumber, type CellValue } from './cell-values.js';

/**
 * Input features a column takes: one for a number, one per category for a
 * one-hot column, one per part for a date.
 *
 * @param column - The column's encoding.
 */
export function featuresOf(column: TableColumnEncoding): number {
  if (column.kind === 'numeric') return 1;
  return column.kind === 'categorical' ? column.categories.length : column.parts.length;
}

/**
 * Input features of all columns.
 *
 * @param columns - The feature columns, in order.
 */
export function featureCount(columns: readonly TableColumnEncoding[]): number {
  return columns.reduce((n, c) => n + featuresOf(c), 0);
}

/**
 * A name for every input feature: the column's, `column=category` for
 * one-hot features, `column:part` for the parts of a date.
 *
 * @param columns - The feature columns, in order.
 */
export function featureNames(columns: readonly TableColumnEncoding[]): string[] {
  return columns.flatMap((c) => {
    if (c.kind === 'numeric') return [c.name];
    return c.kind === 'categorical' ? c.categories.map((k) => `${c.name}=${k}`) : c.parts.map((p) => `${c.name}:${p}`);
  });
}

const DAY = 86_400_000;
const YEAR = 365.2425 * DAY;

/**
 * The features of a date: days since the column's origin (UTC), and the
 * position in the year, the week and the day on a circle.
 *
 * @param time - Milliseconds since 1970-01-01 UTC.
 * @param column - The date column: its parts, in order, and its origin.
 * @param column.parts - Which features, in order.
 * @param column.origin - Milliseconds since 1970 that `days` counts from.
 * @param out - Receives one value per part from `offset`.
 * @param offset - Index of the first.
 */
export function dateFeatures(time: number, column: { parts: readonly DatePart[]; origin: number }, out: Float32Array, offset: number): void {
  const { parts, origin } = column;
  const turn = (fraction: number) => 2 * Math.PI * fraction;
  const date = new Date(time);
  const yearStart = Date.UTC(date.getUTCFullYear(), 0, 1);
  for (const [i, part] of parts.entries()) {
    let value: number;
    switch (part) {
      case 'days':
        value = (time - origin) / DAY;
        break;
      case 'year-sin':
      case 'year-cos':
        value = (part === 'year-sin' ? Math.sin : Math.cos)(turn((time - yearStart) / YEAR));
        break;
      case 'week-sin':
      case 'week-cos':
        value = (part === 'week-sin' ? Math.sin : Math.cos)(turn((date.getUTCDay() + (time % DAY) / DAY) / 7));
        break;
      case 'day-sin':
      case 'day-cos':
        value = (part === 'day-sin' ? Math.sin : Math.cos)(turn((((time % DAY) + DAY) % DAY) / DAY));
        break;
    }
    out[offset + i] = value;
  }
}

/** Why a row cannot be encoded: a cell of the wrong sort (a bad row), or a missing cell the model has no fill value for. */
export interface RowProblem {
  problem: string;
  /** The cell is missing (not wrong): the row is skipped as incomplete rather than bad. */
  missing?: boolean;
}

/**
 * Writes the unstandardised features of one row into `out`: numbers as
 * they are, categories one-hot (all zeros for a category not seen in
 * training), dates as their parts, and missing cells filled with the
 * column's `fill` where it has one (a missing category is the category
 * `''` unless filled).
 *
 * @param columns - The feature columns.
 * @param positions - Where each column is in the row's values.
 * @param values - The row's values as read, in header order.
 * @param out - Receives the row's `featureCount(columns)` features, from index 0.
 * @returns Undefined, or what is wrong with the row (a number column holding something else, or a number beyond float32).
 */
export function encodeRow(
  columns: readonly TableColumnEncoding[],
  positions: readonly number[],
  values: readonly CellValue[],
  out: Float32Array,
): RowProblem | undefined {
  let f = 0;
  for (const [i, column] of columns.entries()) {
    const value = values[positions[i]];
    if (column.kind === 'categorical') {
      const category = isMissing(value) && column.fill !== undefined ? column.fill : categoryOf(value);
      const k = column.categories.indexOf(category);
      for (let j = 0; j < column.categories.length; j++) out[f + j] = j === k ? 1 : 0;
      f += column.categories.length;
      continue;
    }
    if (isMissing(value)) {
      if (column.fill === undefined) return { problem: `column '${column.name}' is empty`, missing: true };
      if (column.kind === 'numeric') out[f++] = column.fill;
      else {
        dateFeatures(column.fill, column, out, f);
        f += column.parts.length;
      }
      continue;
    }
    if (column.kind === 'numeric') {
      const n = parseNumber(value);
      if (n === undefined) return { problem: `column '${column.name}' is ${describe(value)}, not a number` };
      // A float32 feature would hold Infinity, and training would stop on a NaN loss blaming the learning rate.
      if (Math.abs(n) > FLOAT32_MAX) return { problem: `column '${column.name}' is ${n}, beyond the float32 range of ±3.4e38 the model computes in` };
      out[f++] = n;
    } else {
      const time = parseDate(value);
      if (time === undefined) return { problem: `column '${column.name}' is ${describe(value)}, not a date (YYYY-MM-DD[ HH:MM[:SS]] or Jun 12 1998)` };
      dateFeatures(time, column, out, f);
      f += column.parts.length;
    }
  }
  return undefined;
}

/**
 * The squared reconstruction error of each column of one row, from the
 * squared errors of its input features (a one-hot column or a date sums
 * its features), in the model's standardised units.
 *
 * @param columns - The feature columns, in order.
 * @param squaredErrors - The squared error of each input feature of the row, in feature order.
 */
export function columnErrors(columns: readonly TableColumnEncoding[], squaredErrors: ArrayLike<number>): number[] {
  let f = 0;
  return columns.map((column) => {
    let sum = 0;
    for (let j = 0; j < featuresOf(column); j++) sum += squaredErrors[f + j];
    f += featuresOf(column);
    return sum;
  });
}

/**
 * One row's values back in the units of the file, from its standardised
 * features: numbers unscaled, a one-hot column as its category (the
 * largest feature; empty when none is set), a date from its `days` part
 * (empty without one).
 *
 * @param columns - The feature columns, in order.
 * @param scaler - Mean and standard deviation of each feature, to undo the standardisation.
 * @param features - The row's standardised features (an input or a reconstruction), in feature order.
 */
export function decodeRow(columns: readonly TableColumnEncoding[], scaler: FeatureScaler, features: ArrayLike<number>): (string | number)[] {
  let f = 0;
  const raw = (j: number) => features[j] * scaler.std[j] + scaler.mean[j];
  return columns.map((column) => {
    const first = f;
    f += featuresOf(column);
    if (column.kind === 'numeric') return raw(first);
    if (column.kind === 'datetime') {
      const days = column.parts.indexOf('days');
      return days < 0 ? '' : new Date(column.origin + Math.round(raw(first + days) * DAY)).toISOString().replace('T00:00:00.000Z', '');
    }
    let best = -1;
    for (let j = 0; j < column.categories.length; j++) if (features[first + j] > 0.5 && (best < 0 || features[first + j] > features[first + best])) best = j;
    return best < 0 ? '' : column.categories[best];
  });
}

function describe(value: CellValue): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 24 ? `${value.slice(0, 24)}…` : value);
  return String(value);
}
