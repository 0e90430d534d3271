import type { FeatureScaler, TableColumnEncoding } from '@aekit/core';

/** The largest finite float32. */
const FLOAT32_MAX = 3.4028234663852886e38;

/**
 * Input features a column takes: one for a number, one per category for a one-hot column.
 *
 * @param column - The column's encoding.
 */
export function featuresOf(column: TableColumnEncoding): number {
  return column.kind === 'numeric' ? 1 : column.categories.length;
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
 * A name for every input feature: the column's, or `column=category` for one-hot features.
 *
 * @param columns - The feature columns, in order.
 */
export function featureNames(columns: readonly TableColumnEncoding[]): string[] {
  return columns.flatMap((c) => (c.kind === 'numeric' ? [c.name] : c.categories.map((k) => `${c.name}=${k}`)));
}

/**
 * A value parsed as a number, or undefined when it is not one (empty, text, NaN or infinite).
 *
 * @param value - A value as read from the file: a string from CSV, or a JSON value.
 */
export function parseNumber(value: string | number | boolean | null): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}

/** A value as a category name. */
export function categoryOf(value: string | number | boolean | null): string {
  return value === null ? '' : String(value);
}

/**
 * Writes the unstandardised features of one row into `out`: numbers as
 * they are, categories one-hot (all zeros for a category not seen in
 * training).
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
  values: readonly (string | number | boolean | null)[],
  out: Float32Array,
): string | undefined {
  let f = 0;
  for (const [i, column] of columns.entries()) {
    const value = values[positions[i]];
    if (column.kind === 'numeric') {
      const n = parseNumber(value);
      if (n === undefined) return `column '${column.name}' is ${describe(value)}, not a number`;
      // A float32 feature would hold Infinity, and training would stop on a NaN loss blaming the learning rate.
      if (Math.abs(n) > FLOAT32_MAX) return `column '${column.name}' is ${n}, beyond the float32 range of ±3.4e38 the model computes in`;
      out[f++] = n;
    } else {
      const k = column.categories.indexOf(categoryOf(value));
      for (let j = 0; j < column.categories.length; j++) out[f + j] = j === k ? 1 : 0;
      f += column.categories.length;
    }
  }
  return undefined;
}

/**
 * The squared reconstruction error of each column of one row, from the
 * squared errors of its input features (a one-hot column sums its
 * features), in the model's standardised units.
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
 * largest feature; empty when none is set).
 *
 * @param columns - The feature columns, in order.
 * @param scaler - Mean and standard deviation of each feature, to undo the standardisation.
 * @param features - The row's standardised features (an input or a reconstruction), in feature order.
 */
export function decodeRow(columns: readonly TableColumnEncoding[], scaler: FeatureScaler, features: ArrayLike<number>): (string | number)[] {
  let f = 0;
  return columns.map((column) => {
    if (column.kind === 'numeric') {
      const value = features[f] * scaler.std[f] + scaler.mean[f];
      f++;
      return value;
    }
    let best = -1;
    for (let j = 0; j < column.categories.length; j++) if (features[f + j] > 0.5 && (best < 0 || features[f + j] > features[f + best])) best = j;
    f += column.categories.length;
    return best < 0 ? '' : column.categories[best];
  });
}

function describe(value: string | number | boolean | null): string {
  if (value === null || value === '') return 'empty';
  if (typeof value === 'string') return JSON.stringify(value.length > 24 ? `${value.slice(0, 24)}…` : value);
  return String(value);
}
