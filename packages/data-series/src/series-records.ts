import { DataFileError, ConfigError, timeSeries, type SeriesColumns, type TimeKind, type TimeSeries } from '@aekit/core';
import { FLOAT32_MAX, isMissing, parseNumber, timeOf, formatTime, type CellValue } from './time-values.js';

/** Column names (any case) taken as the time column when none is named. */
export const TIME_COLUMN_NAMES = ['time', 'timestamp', 'date', 'datetime', 'ds', 'period', 't', 'step', 'year'] as const;
/** Column names (any case) taken as 0/1 anomaly labels when none is named. */
export const LABEL_COLUMN_NAMES = ['label', 'anomaly', 'is_anomaly', 'anomalous', 'outlier'] as const;

/** Which columns of a file make the series; what is not given is found from the names and values. */
export interface SeriesColumnOptions {
  /** The time column (`--time-column`); found by name or by its values when not given. */
  timeColumn?: string;
  /** The signal columns (`--value-columns`); every number column but the time and label ones when not given. */
  valueColumns?: readonly string[];
  /** The 0/1 anomaly label column (`--label`); found by name when not given. */
  labelColumn?: string;
  /** A saved model's columns: exactly these are read, and a missing one is an error. */
  saved?: SeriesColumns;
}

/** One row of a file: where it is and its cells in header order. */
export interface SeriesRecord {
  /** Line of the file (or position of an item) for messages. */
  line: number;
  values: readonly CellValue[];
}

/** A series read from rows, with what was decided about its columns and what the user should be told. */
export interface ReadSeries {
  series: TimeSeries;
  /** The columns read, to save with the model. */
  columns: SeriesColumns;
  /** Lines for the user: skipped text columns, filled cells, sorting, irregular time steps. */
  notes: string[];
  /** Empty cells filled in, per value column. */
  filledCells: Record<string, number>;
}

/**
 * Turns the rows of a file into a series: the time column parsed (dates
 * or numbers) and the rows sorted by it, one channel per value column,
 * empty cells filled linearly between the nearest values before and after
 * (at the ends, with the nearest value), labels read as 0/1.
 *
 * @param header - Column names.
 * @param records - The data rows, in file order.
 * @param source - The file, named in errors.
 * @param options - Columns given by the user or saved with a model.
 * @throws DataFileError naming the file, line and column of the first problem.
 */
export function seriesFromRecords(header: readonly string[], records: readonly SeriesRecord[], source: string, options: SeriesColumnOptions = {}): ReadSeries {
  if (records.length < 2) throw new DataFileError(source, `has ${records.length} data row${records.length === 1 ? '' : 's'}; a series needs at least 2`);
  const notes: string[] = [];
  const column = (name: string, flag: string) => {
    const i = header.indexOf(name);
    if (i < 0) throw new ConfigError(flag, `${source} has no column '${name}'; its columns are ${header.join(', ')}`);
    return i;
  };
  const saved = options.saved;
  const timeName = saved ? saved.timeColumn : (options.timeColumn ?? findTimeColumn(header, records));
  const time = timeName === undefined ? -1 : column(timeName, 'time-column');
  const labelName = saved ? saved.labelColumn : (options.labelColumn ?? header.find((h) => (LABEL_COLUMN_NAMES as readonly string[]).includes(h.toLowerCase())));
  const label = labelName === undefined || (saved && !header.includes(labelName)) ? -1 : column(labelName, 'label');
  const wanted = saved?.valueColumns ?? options.valueColumns;
  let values: number[];
  if (wanted) {
    values = wanted.map((name) => column(name, 'value-columns'));
  } else {
    const candidates = header.map((_, i) => i).filter((i) => i !== time && i !== label);
    values = candidates.filter((i) => isNumberColumn(records, i));
    const text = candidates.filter((i) => !values.includes(i));
    if (text.length > 0) notes.push(`left out ${text.length === 1 ? 'the column' : 'the columns'} ${text.map((i) => `'${header[i]}'`).join(', ')}: not numbers (name signal columns with --value-columns)`);
  }
  if (values.length === 0) throw new DataFileError(source, `has no number columns to read as signals${time >= 0 ? ` besides the time column '${header[time]}'` : ''}`);

  const timeKind = saved?.timeKind ?? (time >= 0 ? timeKindOf(records, time) : undefined);
  let order = records.map((_, i) => i);
  let times: Float64Array | undefined;
  if (time >= 0) {
    const parsed = records.map((r) => {
      const t = timeOf(r.values[time], timeKind!);
      if (t === undefined) {
        const cell = r.values[time];
        throw new DataFileError(source, `line ${r.line}, column '${header[time]}': ${isMissing(cell) ? 'no time' : `'${String(cell)}' is not a ${timeKind === 'date' ? 'date or time' : 'number'}`}`);
      }
      return t;
    });
    order = sortedOrder(parsed, records, source, header[time], timeKind, notes);
    times = Float64Array.from(order, (i) => parsed[i]);
    const irregular = irregularSteps(times, timeKind);
    if (irregular) notes.push(`time steps vary: ${irregular}; each row is read as the next step`);
  }

  const length = records.length;
  const channels = values.length;
  const data = new Float32Array(length * channels);
  const filled = new Uint8Array(length);
  const filledCells: Record<string, number> = {};
  values.forEach((col, c) => {
    const column = new Float64Array(length);
    let missing = 0;
    order.forEach((row, t) => {
      const cell = records[row].values[col];
      const v = parseNumber(cell);
      if (v === undefined) {
        if (!isMissing(cell)) throw new DataFileError(source, `line ${records[row].line}, column '${header[col]}': expected a number, got '${String(cell)}'`);
        column[t] = NaN;
        filled[t] = 1;
        missing++;
      } else if (Math.abs(v) > FLOAT32_MAX) {
        // It would be Infinity in the model's input, and training would stop on a NaN loss blaming the learning rate.
        throw new DataFileError(source, `line ${records[row].line}, column '${header[col]}': ${v} is beyond the float32 range of ±3.4e38 the model computes in`);
      } else column[t] = v;
    });
    if (missing === length) throw new DataFileError(source, `column '${header[col]}' has no values, only empty cells`);
    if (missing > 0) {
      interpolate(column);
      filledCells[header[col]] = missing;
    }
    for (let t = 0; t < length; t++) data[t * channels + c] = column[t];
  });
  const totalFilled = Object.values(filledCells).reduce((a, b) => a + b, 0);
  if (totalFilled > 0) {
    const where = Object.entries(filledCells).map(([name, n]) => `${n} in '${name}'`).join(', ');
    notes.push(`filled ${totalFilled} empty cell${totalFilled > 1 ? 's' : ''} (${where}) linearly between the nearest values before and after`);
  }

  const labels = label >= 0 ? Uint8Array.from(order, (row) => labelOf(records[row], label, header[label], source)) : undefined;
  const series = timeSeries(data, channels, {
    names: values.map((i) => header[i]),
    labels,
    times,
    timeKind,
    filled: totalFilled > 0 ? filled : undefined,
  });
  const columns: SeriesColumns = {
    ...(time >= 0 ? { timeColumn: header[time], timeKind } : {}),
    valueColumns: values.map((i) => header[i]),
    ...(label >= 0 ? { labelColumn: header[label] } : {}),
  };
  return { series, columns, notes, filledCells };
}

/** A column named like a time, or else the first whose every value is a date (not a plain number). */
function findTimeColumn(header: readonly string[], records: readonly SeriesRecord[]): string | undefined {
  const named = header.find((h) => (TIME_COLUMN_NAMES as readonly string[]).includes(h.toLowerCase()));
  if (named !== undefined) return named;
  return header.find((_, i) => records.every((r) => !isMissing(r.values[i]) && parseNumber(r.values[i]) === undefined && timeOf(r.values[i], 'date') !== undefined));
}

/** Numbers when every cell of the time column is one, else dates. */
function timeKindOf(records: readonly SeriesRecord[], column: number): TimeKind {
  return records.every((r) => isMissing(r.values[column]) || parseNumber(r.values[column]) !== undefined) ? 'number' : 'date';
}

function isNumberColumn(records: readonly SeriesRecord[], column: number): boolean {
  let numbers = 0;
  for (const r of records) {
    const cell = r.values[column];
    if (parseNumber(cell) !== undefined) numbers++;
    else if (!isMissing(cell)) return false;
  }
  return numbers > 0;
}

/** Row order sorted by time (stable); a time that appears twice is refused with both lines. */
function sortedOrder(times: number[], records: readonly SeriesRecord[], source: string, name: string, kind: TimeKind | undefined, notes: string[]): number[] {
  const order = times.map((_, i) => i);
  const ascending = times.every((t, i) => i === 0 || t > times[i - 1]);
  if (ascending) return order;
  order.sort((a, b) => times[a] - times[b] || a - b);
  for (let k = 1; k < order.length; k++) {
    if (times[order[k]] === times[order[k - 1]]) {
      const [a, b] = [order[k - 1], order[k]].sort((x, y) => x - y);
      throw new DataFileError(
        source,
        `lines ${records[a].line} and ${records[b].line} have the same time in column '${name}' (${formatTime(times[a], kind)}); a series has one row per time (several series stacked in one file need one file each)`,
      );
    }
  }
  const descending = times.every((t, i) => i === 0 || t < times[i - 1]);
  notes.push(descending ? `the rows run back in time; read them oldest first` : `the rows are not in time order; sorted them by '${name}'`);
  return order;
}

/** A description of uneven time steps, or undefined when they are even (months and years count as even). */
function irregularSteps(times: Float64Array, kind: TimeKind | undefined): string | undefined {
  const steps = Array.from({ length: times.length - 1 }, (_, i) => times[i + 1] - times[i]);
  const sorted = [...steps].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  // Calendar months and years differ by a few days; only steps 1.5 times the usual one count as gaps.
  const gaps = steps.map((s, i) => [s, i] as const).filter(([s]) => s > 1.5 * median);
  if (gaps.length === 0) return undefined;
  return `${gaps.length} gap${gaps.length > 1 ? 's' : ''} longer than 1.5 times the usual step (the first after ${formatTime(times[gaps[0][1]], kind)})`;
}

/** Fills NaN runs linearly between their neighbours, and at the ends with the nearest value. */
function interpolate(values: Float64Array): void {
  let last = -1;
  for (let t = 0; t <= values.length; t++) {
    if (t < values.length && Number.isNaN(values[t])) continue;
    const gap = t - last - 1;
    if (gap > 0) {
      for (let k = last + 1; k < t; k++) {
        if (last < 0) values[k] = values[t];
        else if (t === values.length) values[k] = values[last];
        else values[k] = values[last] + ((values[t] - values[last]) * (k - last)) / (t - last);
      }
    }
    last = t;
  }
}

function labelOf(record: SeriesRecord, column: number, name: string, source: string): 0 | 1 {
  const cell = record.values[column];
  const text = typeof cell === 'string' ? cell.trim().toLowerCase() : cell;
  if (text === 1 || text === true || text === '1' || text === 'true') return 1;
  if (text === 0 || text === false || text === '0' || text === 'false') return 0;
  throw new DataFileError(source, `line ${record.line}, column '${name}': an anomaly label is 0 or 1 (or true/false), got '${String(cell)}'`);
}
