import { stat } from 'node:fs/promises';
import {
  ArrayDataset,
  ConfigError,
  DataFileError,
  PREPROCESSING_VERSION,
  type FeatureScaler,
  type ImputeStrategy,
  type TableColumnEncoding,
  type TablePreprocessing,
} from '@aekit/core';
import { categoryOf, parseNumber } from './cell-values.js';
import { ColumnSurvey, decideColumns } from './column-survey.js';
import { encodeRow, featureCount, featuresOf } from './feature-layout.js';
import { openTable, type RawRecord, type RowUnit } from './records.js';
import { RunningStats } from './running-stats.js';

/** Most categories a text column may have before it is refused rather than one-hot encoded. */
export const MAX_CATEGORIES = 50;

/** Share of rows held out for testing unless told otherwise. */
export const TEST_FRACTION = 0.2;

/** Rows of a labelled table to train on: those whose `column` holds `value` (the normal rows), or with `not`, every other row. */
export interface RowFilter {
  column: string;
  value: string;
  /** Keep the rows whose column does not hold `value` (`--train-where 'weather!=snow'`). */
  not?: boolean;
}

/** Options of {@link readTable}. */
export interface ReadTableOptions {
  /** A column kept out of the features and used as each row's label (class). */
  label?: string;
  /** Skip rows that are bad (wrong column count, a non-number in a number column, unparseable) and count them, instead of stopping at the first. */
  skipBad?: boolean;
  /** Apply this (a saved model's) description instead of fitting one: same columns, categories, fill values and scaler. */
  preprocessing?: TablePreprocessing;
  /** Share of rows, drawn at random by `seed`, held out for testing: 0.2 unless given; 1 puts every row in `test`. */
  testFraction?: number;
  /** Seed of the train/test draw. */
  seed?: number;
  /** Keep at most this many training rows (the first ones). */
  trainLimit?: number;
  /** Keep at most this many test rows (the first ones). */
  testLimit?: number;
  /** Most categories of a one-hot column; {@link MAX_CATEGORIES} unless given. */
  maxCategories?: number;
  /** Columns to one-hot encode even where every value is a number (codes, ids of a few kinds). */
  categorical?: readonly string[];
  /** Keep only these columns as features (besides the label). */
  columns?: readonly string[];
  /** Leave these columns out of the features. */
  drop?: readonly string[];
  /** Fill missing cells with each column's training mean, median or most frequent value (saved with the model), instead of skipping their rows. */
  impute?: ImputeStrategy;
  /** The field delimiter of a CSV or TSV file; detected unless given. */
  delimiter?: string;
  /** Train only on the rows where a column holds a value (the normal rows of a labelled file); the test rows keep every value. */
  trainWhere?: RowFilter;
  /**
   * Standardise the features (true unless given). False leaves numbers in
   * the file's units, for a model that standardises inside itself (an ONNX
   * export with its scaler baked in).
   */
  standardize?: boolean;
  /**
   * Called as rows are read, for a progress bar: in the first pass (`scan`)
   * with the bytes read of the file's size (for formats that stream: CSV,
   * TSV, JSON lines), in the second (`encode`) with the rows encoded of the
   * rows the first pass counted.
   */
  onProgress?: (progress: TableProgress) => void;
}

/** How far {@link readTable} is, for {@link ReadTableOptions.onProgress}. */
export interface TableProgress {
  /** `scan`: the first pass, which learns the columns; `encode`: the second, which encodes the rows. */
  phase: 'scan' | 'encode';
  /** Bytes read (`scan`) or rows encoded (`encode`) so far. */
  done: number;
  /** The file's size in bytes (`scan`) or the rows to encode (`encode`). */
  total: number;
}

/** Rows between two progress reports: often enough for a bar, rarely enough to cost nothing. */
const PROGRESS_EVERY = 512;

/** The rows of one split. */
export interface TableSplit {
  /** Standardised features, one example `[features]` a row, with labels when the table has a label column. */
  data: ArrayDataset;
  /** Line of the file each row came from (the record of a JSON array, the row of a Parquet file: see {@link ReadTableResult.unit}). */
  lines: Int32Array;
}

/** A table read into features. */
export interface ReadTableResult {
  /** The file. */
  file: string;
  /** Its columns, as in the header. */
  header: string[];
  /** What the splits' `lines` count, as messages say it: lines of the file, records of a JSON array, rows of a Parquet file. */
  unit: RowUnit;
  /** How rows became features: columns, categories, fill values, label classes and the scaler. */
  preprocessing: TablePreprocessing;
  /** The training rows (the scaler's statistics come from these). */
  train: TableSplit;
  /** The held-out rows. */
  test: TableSplit;
  /** Bad rows skipped (with `skipBad`). */
  skipped: number;
  /** The first skipped row and why, for the message. */
  firstSkipped?: string;
  /** Rows left out because a feature cell is empty and the model has no fill value for it. */
  incomplete: number;
  /** The first such row, for the message. */
  firstIncomplete?: string;
  /** Training rows left out by `trainWhere`. */
  excluded: number;
  /** Lines for the user: columns dropped and why, dates parsed, missing cells filled. */
  notes: string[];
}

/**
 * Reads a CSV, TSV, JSON-lines, JSON or Parquet table into standardised
 * float features, as users have tables: the delimiter detected, empty
 * cells filled (`impute`) or their rows skipped, dates parsed into
 * numeric features, ID-like columns dropped with a line saying so.
 *
 * Two streaming passes over the file, so it may be larger than memory
 * allows as text: the first learns the columns (see `decideColumns`), the
 * label's classes, the fill values and which rows are bad; the second
 * encodes each row into one compact Float32Array while it fits the scaler
 * (mean and standard deviation of each number and date feature over the
 * training rows, in one pass), then standardises in place. One-hot
 * features stay 0/1.
 *
 * Given a saved `preprocessing`, its columns, categories, fill values and
 * statistics are applied instead, so evaluation and scoring see what
 * training saw.
 *
 * @param file - A `.csv`, `.tsv`, `.jsonl`/`.ndjson`, `.json` or `.parquet` file with a header row (or keys).
 * @param options - Label column, column choices, missing values, bad-row handling, a saved description to reuse, the train/test split, limits and standardisation.
 * @throws DataFileError naming the file and line of a bad row (unless `skipBad`), or a
 *   text column with too many categories; ConfigError naming `label` when the column is missing.
 */
export async function readTable(file: string, options: ReadTableOptions = {}): Promise<ReadTableResult> {
  const testFraction = options.testFraction ?? TEST_FRACTION;
  if (!(testFraction >= 0 && testFraction <= 1)) throw new ConfigError('test-split', `expected a share from 0 to 1, got ${testFraction}`);
  const saved = options.preprocessing;
  const skips = new Skips(file, Boolean(options.skipBad));
  const { header, rows, delimiter, unit } = await openTable(file, {
    onUnreadable: options.skipBad ? (r) => skips.add(r.line, r.problem) : undefined,
    delimiter: options.delimiter ?? saved?.delimiter,
  });
  skips.unit = unit;
  const label = options.label ?? (saved?.label && header.includes(saved.label) ? saved.label : undefined);
  if (label !== undefined && !header.includes(label)) {
    throw new ConfigError('label', `${file} has no column '${label}'; its columns are ${header.join(', ')}`);
  }
  const where = options.trainWhere;
  if (where && !header.includes(where.column)) throw new ConfigError('train-where', `${file} has no column '${where.column}'; its columns are ${header.join(', ')}`);
  const keep = where ? ((values: RawRecord['values']) => (categoryOf(values[header.indexOf(where.column)]) === where.value) !== Boolean(where.not)) : () => true;
  const impute = saved ? saved.impute : options.impute;

  const survey = await surveyRows(file, header, rows, label, splitDraw(options.seed ?? 0, testFraction), skips, keep, { ...options, impute }, options.onProgress && (await stat(file)).size);
  if (where && survey.kept === 0) {
    throw new ConfigError('train-where', `no training row of ${file} has ${where.column} ${where.not ? '!=' : '='} '${where.value}'; its values are ${[...survey.whereValues].sort().slice(0, 12).join(', ')}`);
  }
  const inTest = survey.inTest;
  const decided = (() => {
    try {
      return saved
        ? { columns: checkSavedColumns(file, header, saved.columns), dropped: saved.dropped ?? [] }
        : decideColumns(survey.columns, { file, header, unit, label, columns: options.columns, drop: options.drop, categorical: options.categorical, maxCategories: options.maxCategories ?? MAX_CATEGORIES, impute });
    } catch (error) {
      skips.stopAtHeld(); // a malformed row is named before what the columns say
      throw error;
    }
  })();
  const { columns } = decided;
  const labelClasses = label === undefined ? undefined : mergeClasses(saved?.label === label ? saved.labelClasses : undefined, survey.labelValues);
  const positions = columns.map((c) => header.indexOf(c.name));
  const labelPosition = label === undefined ? -1 : header.indexOf(label);
  const features = featureCount(columns);
  if (features === 0) {
    skips.stopAtHeld();
    throw new DataFileError(file, `has no feature columns besides the label${decided.dropped.length ? ` (left out: ${decided.dropped.map((d) => `'${d.name}' ${d.reason}`).join('; ')})` : ''}`);
  }

  // Second pass: encode, fit the scaler on the training rows, keep everything compact.
  // The first pass counted the rows of each split, so the features get exactly their room (bad rows aside).
  const capacity = (rows: number, limit?: number) => Math.min(rows, limit ?? rows);
  const splits = {
    train: new SplitBuffers(capacity(survey.rows.train, options.trainLimit), features),
    test: new SplitBuffers(capacity(survey.rows.test, options.testLimit), features),
  };
  const stats = new RunningStats(features);
  const row = new Float32Array(features);
  const incomplete = { count: 0, first: undefined as string | undefined };
  let excluded = 0;
  let index = 0;
  const toEncode = survey.rows.train + survey.rows.test;
  for await (const record of rows()) {
    if (options.onProgress && index % PROGRESS_EVERY === 0) options.onProgress({ phase: 'encode', done: index, total: toEncode });
    const test = inTest(index++);
    const shape = shapeProblem(record, header);
    const encoded = shape ? { problem: shape } : encodeRow(columns, positions, record.values, row);
    if (encoded?.missing) {
      incomplete.count++;
      incomplete.first ??= `${unit} ${record.line}: ${encoded.problem}`;
      continue;
    }
    if (encoded) {
      skips.add(record.line, encoded.problem);
      continue;
    }
    if (!test && !keep(record.values)) {
      excluded++;
      continue;
    }
    const split = test ? splits.test : splits.train;
    if (split.full) continue;
    split.push(row, record.line, labelClasses ? labelClasses.indexOf(categoryOf(record.values[labelPosition])) : -1);
    if (!test && !saved) stats.add(row);
  }
  skips.stopAtHeld();
  options.onProgress?.({ phase: 'encode', done: toEncode, total: toEncode });
  const scaler = saved?.scaler ?? fittedScaler(columns, stats);
  if (scaler.mean.length !== features) throw new DataFileError(file, `the saved scaler has ${scaler.mean.length} features but the columns give ${features}`);
  if (!saved && splits.train.count === 0 && testFraction < 1) {
    throw new DataFileError(file, `has no good training rows${incomplete.count ? ` (${incomplete.count} have empty cells, the first: ${incomplete.first}; pass --impute mean to fill them)` : ''}`);
  }
  const preprocessing: TablePreprocessing = saved ?? {
    kind: 'table',
    version: PREPROCESSING_VERSION,
    columns,
    scaler,
    missing: impute ? 'impute' : 'skip',
    ...(impute ? { impute } : {}),
    ...(label !== undefined ? { label, labelClasses } : {}),
    ...(delimiter ? { delimiter } : {}),
    ...(decided.dropped.length ? { dropped: decided.dropped } : {}),
  };
  const withLabels = Boolean(labelClasses);
  return {
    file,
    header,
    unit,
    preprocessing: saved && labelClasses ? { ...saved, label, labelClasses } : preprocessing,
    train: splits.train.finish(options.standardize === false ? undefined : scaler, withLabels),
    test: splits.test.finish(options.standardize === false ? undefined : scaler, withLabels),
    skipped: skips.count,
    firstSkipped: skips.first,
    incomplete: incomplete.count,
    firstIncomplete: incomplete.first,
    excluded,
    notes: saved ? [] : [...(delimiter && delimiter !== ',' && !file.toLowerCase().endsWith('.tsv') ? [`read ${file} as ${delimiter === '\t' ? 'tab' : `'${delimiter}'`}-separated`] : []), ...describeColumns(file, columns, decided.dropped, options)],
  };
}

/** Lines for the user about columns that are not plain numbers or categories: dropped ones, dates, filled ones. */
function describeColumns(file: string, columns: TableColumnEncoding[], dropped: { name: string; reason: string }[], options: ReadTableOptions): string[] {
  const notes: string[] = [];
  for (const d of dropped) if (!/--columns|--drop/.test(d.reason)) notes.push(`left out column '${d.name}' of ${file}: it ${d.reason}`);
  for (const c of columns) if (c.kind === 'datetime') notes.push(`read column '${c.name}' as dates: ${c.parts.length} feature${c.parts.length === 1 ? '' : 's'} (${c.parts.join(', ')})`);
  const filled = columns.filter((c) => c.fill !== undefined);
  if (options.impute && filled.length > 0) notes.push(`empty cells are filled with the training rows' ${options.impute} value (${filled.map((c) => `${c.name}: ${formatFill(c)}`).join(', ')})`);
  return notes;
}

function formatFill(column: TableColumnEncoding): string {
  if (column.kind === 'datetime') return new Date(column.fill!).toISOString().replace('T00:00:00.000Z', '');
  return typeof column.fill === 'number' ? String(Number(column.fill.toPrecision(6))) : JSON.stringify(column.fill);
}

/** What the first pass learns. */
interface Survey {
  columns: ColumnSurvey[];
  labelValues: Set<string>;
  /** Rows of the right shape in each split. */
  rows: { train: number; test: number };
  /** Whether the row with an index is held out (the draw, and a last row forced into the test split when the draw held none out). */
  inTest: (index: number) => boolean;
  /** Training rows `trainWhere` keeps, and the values its column has. */
  kept: number;
  whereValues: Set<string>;
}

async function surveyRows(
  file: string,
  header: string[],
  rows: () => AsyncGenerator<RawRecord>,
  label: string | undefined,
  draw: (index: number) => boolean,
  skips: Skips,
  keep: (values: RawRecord['values']) => boolean,
  options: ReadTableOptions,
  fileSize: number | undefined,
): Promise<Survey> {
  const cap = (options.maxCategories ?? MAX_CATEGORIES) + 1;
  const columns = header.map(() => new ColumnSurvey(cap, options.impute));
  const labelPosition = label === undefined ? -1 : header.indexOf(label);
  const wherePosition = options.trainWhere ? header.indexOf(options.trainWhere.column) : -1;
  const survey: Survey = { columns, labelValues: new Set(), rows: { train: 0, test: 0 }, inTest: draw, kept: 0, whereValues: new Set() };
  let index = 0;
  let lastGood = -1;
  for await (const record of rows()) {
    if (fileSize !== undefined && record.offset !== undefined && index % PROGRESS_EVERY === 0) {
      options.onProgress!({ phase: 'scan', done: record.offset, total: fileSize });
    }
    const test = draw(index++);
    const problem = shapeProblem(record, header);
    if (problem) {
      // Rows of the wrong shape are bad whatever the columns turn out to be.
      skips.add(record.line, problem, true);
      continue;
    }
    lastGood = index - 1;
    survey.rows[test ? 'test' : 'train']++;
    if (wherePosition >= 0) survey.whereValues.add(categoryOf(record.values[wherePosition]));
    const training = !test && keep(record.values);
    if (training) survey.kept++;
    record.values.forEach((value, j) => {
      if (j === labelPosition) survey.labelValues.add(categoryOf(value));
      else columns[j].add(value, record.line, training);
    });
  }
  if (index === 0) throw new DataFileError(file, 'has a header but no data rows');
  if (fileSize !== undefined) options.onProgress!({ phase: 'scan', done: fileSize, total: fileSize });
  // A small table can draw no test row at all; hold out its last good row then, so evaluation has one.
  const fraction = options.testFraction ?? TEST_FRACTION;
  if (survey.rows.test === 0 && survey.rows.train >= 2 && fraction > 0) {
    survey.inTest = (i) => draw(i) || i === lastGood;
    survey.rows.test = 1;
    survey.rows.train--;
  }
  return survey;
}

function checkSavedColumns(file: string, header: string[], columns: TableColumnEncoding[]): TableColumnEncoding[] {
  const missing = columns.filter((c) => !header.includes(c.name)).map((c) => `'${c.name}'`);
  if (missing.length > 0) throw new DataFileError(file, `lacks the column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} that the model was trained on`);
  return columns;
}

/** Label classes: a saved list first (so class numbers stay the same), then new values, numbers in numeric order. */
function mergeClasses(saved: string[] | undefined, seen: Set<string>): string[] {
  const fresh = [...seen].filter((v) => !saved?.includes(v));
  const allNumbers = fresh.every((v) => parseNumber(v) !== undefined);
  fresh.sort(allNumbers ? (a, b) => Number(a) - Number(b) : undefined);
  return [...(saved ?? []), ...fresh];
}

function fittedScaler(columns: TableColumnEncoding[], stats: RunningStats): FeatureScaler {
  const { mean, std } = stats.result();
  // One-hot features stay 0/1: only number and date features are standardised.
  let f = 0;
  for (const column of columns) {
    if (column.kind !== 'categorical') f += featuresOf(column);
    else
      for (let j = 0; j < column.categories.length; j++, f++) {
        mean[f] = 0;
        std[f] = 1;
      }
  }
  return { mean, std };
}

function shapeProblem(record: RawRecord, header: string[]): string | undefined {
  if (record.problem) return record.problem;
  if (record.values.length !== header.length) return `expected ${header.length} values as in the header, got ${record.values.length}`;
  return undefined;
}

/**
 * Whether the row with this index is held out: a hash of the seed and the
 * row's position, so both passes, evaluation and scoring agree without
 * keeping any per-row state.
 */
function splitDraw(seed: number, fraction: number): (index: number) => boolean {
  return (index) => unitHash(seed, index) < fraction;
}

/** A number in [0, 1) from a seed and an index (murmur3's 32-bit finaliser). */
function unitHash(seed: number, index: number): number {
  let h = (Math.imul(seed | 0, 0x9e3779b1) ^ Math.imul(index + 1, 0x85ebca6b)) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) / 2 ** 32;
}

/** The rows of one split, in arrays sized by the first pass's count: no growing, no copies. */
class SplitBuffers {
  private readonly values: Float32Array;
  private readonly lines: Int32Array;
  private readonly labels: Int32Array;
  count = 0;

  constructor(
    private readonly capacity: number,
    private readonly features: number,
  ) {
    this.values = new Float32Array(capacity * features);
    this.lines = new Int32Array(capacity);
    this.labels = new Int32Array(capacity);
  }

  /** Whether the split holds as many rows as it has room for (its limit). */
  get full(): boolean {
    return this.count >= this.capacity;
  }

  push(row: Float32Array, line: number, label: number): void {
    this.values.set(row, this.count * this.features);
    this.lines[this.count] = line;
    this.labels[this.count] = label;
    this.count++;
  }

  finish(scaler: FeatureScaler | undefined, withLabels: boolean): TableSplit {
    // Rows found bad only in the second pass leave unused room at the end; views skip it without a copy.
    const values = this.values.subarray(0, this.count * this.features);
    const features = this.features;
    for (let i = 0; scaler && i < values.length; i++) {
      const f = i % features;
      values[i] = (values[i] - scaler.mean[f]) / scaler.std[f];
    }
    const labels = withLabels ? this.labels.subarray(0, this.count) : undefined;
    return { data: new ArrayDataset(values, [features], labels), lines: this.lines.subarray(0, this.count) };
  }
}

/** Bad rows: thrown at once, or counted when skipping. */
class Skips {
  count = 0;
  /** The bad row nearest the top of the file, whichever pass met it. */
  first?: string;
  private firstLine = Infinity;
  // Both passes meet a bad row; it counts once.
  private readonly seen = new Set<number>();
  // Without --skip-bad, a row of the wrong shape that the first pass meets waits for the second: a row above
  // it may be bad in a way only the decided columns show (a word in a number column), and that one is named.
  private held?: { line: number; problem: string };
  /** What the rows' numbers count, once the file is open. */
  unit: RowUnit = 'line';

  constructor(
    private readonly file: string,
    private readonly skip: boolean,
  ) {}

  /**
   * Counts a bad row, or without --skip-bad stops at it (or at a held one above it).
   *
   * @param hold - Without --skip-bad, hold the row back until {@link Skips.stop} or a later bad row.
   */
  add(line: number, problem: string, hold = false): void {
    if (!this.skip) {
      if (hold) {
        this.held ??= { line, problem };
        return;
      }
      this.stop(this.held && this.held.line < line ? this.held : { line, problem });
    }
    if (this.seen.has(line)) return;
    this.seen.add(line);
    this.count++;
    if (line < this.firstLine) {
      this.firstLine = line;
      this.first = `${this.unit} ${line}: ${problem}`;
    }
  }

  /** Throws for the held row, if any: called once nothing above it can be bad. */
  stopAtHeld(): void {
    if (this.held) this.stop(this.held);
  }

  private stop({ line, problem }: { line: number; problem: string }): never {
    throw new DataFileError(this.file, `${this.unit} ${line}: ${problem} (pass --skip-bad to skip such rows)`);
  }
}
