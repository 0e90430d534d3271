import { stat } from 'node:fs/promises';
import { ArrayDataset, ConfigError, DataFileError, type DataEncoding, type FeatureScaler, type TableColumnEncoding, type TableEncoding } from '@aekit/core';
import { categoryOf, encodeRow, featureCount, parseNumber } from './feature-layout.js';
import { openTable, type RawRecord } from './records.js';
import { RunningStats } from './running-stats.js';

/** Most categories a text column may have before it is refused rather than one-hot encoded. */
export const MAX_CATEGORIES = 50;

/** Share of rows held out for testing unless told otherwise. */
export const TEST_FRACTION = 0.2;

/** Options of {@link readTable}. */
export interface ReadTableOptions {
  /** A column kept out of the features and used as each row's label (class). */
  label?: string;
  /** Skip rows that are bad (wrong column count, a non-number in a number column, unparseable) and count them, instead of stopping at the first. */
  skipBad?: boolean;
  /** Encode with this (a saved model's) encoding instead of fitting one: same columns, categories and scaler. */
  encoding?: DataEncoding;
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
  /** Line of the file each row came from. */
  lines: Int32Array;
}

/** A table read into features. */
export interface ReadTableResult {
  /** The file. */
  file: string;
  /** Its columns, as in the header. */
  header: string[];
  /** How rows became features: columns, categories, label classes and the scaler. */
  encoding: { scaler: FeatureScaler; table: TableEncoding };
  /** The training rows (the scaler's statistics come from these). */
  train: TableSplit;
  /** The held-out rows. */
  test: TableSplit;
  /** Bad rows skipped (with `skipBad`). */
  skipped: number;
  /** The first skipped row and why, for the message. */
  firstSkipped?: string;
}

/**
 * Reads a CSV, TSV or JSON-lines table into standardised float features.
 * Two streaming passes over the file, so it may be larger than memory
 * allows as text: the first learns the columns (a column is a number
 * column when its values are numbers, otherwise it is one-hot encoded with
 * the categories of the training rows), the label's classes and which rows
 * are bad; the second encodes each row into one compact Float32Array while
 * it fits the scaler (mean and standard deviation of each number column
 * over the training rows, in one pass), then standardises in place.
 * One-hot features stay 0/1.
 *
 * Given a saved `encoding`, the same columns, categories and statistics are
 * applied instead, so evaluation and scoring see what training saw.
 *
 * @param file - A `.csv`, `.tsv`, `.jsonl`/`.ndjson` or `.json` file with a header row (or keys).
 * @param options - Label column, bad-row handling, a saved encoding to reuse, the train/test split, limits and standardisation.
 * @throws DataFileError naming the file and line of a bad row (unless `skipBad`), or a
 *   text column with too many categories; ConfigError naming `label` when the column is missing.
 */
export async function readTable(file: string, options: ReadTableOptions = {}): Promise<ReadTableResult> {
  const testFraction = options.testFraction ?? TEST_FRACTION;
  if (!(testFraction >= 0 && testFraction <= 1)) throw new ConfigError('testFraction', `expected a share from 0 to 1, got ${testFraction}`);
  const skips = new Skips(file, Boolean(options.skipBad));
  const { header, rows } = await openTable(file, { onUnreadable: options.skipBad ? (r) => skips.add(r.line, r.problem) : undefined });
  const saved = options.encoding?.table;
  const label = options.label ?? (saved?.label && header.includes(saved.label) ? saved.label : undefined);
  if (label !== undefined && !header.includes(label)) {
    throw new ConfigError('label', `${file} has no column '${label}'; its columns are ${header.join(', ')}`);
  }
  const inTest = splitDraw(options.seed ?? 0, testFraction);

  const survey = await surveyRows(file, header, rows, label, inTest, skips, options, options.onProgress && (await stat(file)).size);
  const columns = saved ? checkSavedColumns(file, header, saved.columns) : decideColumns(file, header, label, survey, options);
  const labelClasses = label === undefined ? undefined : mergeClasses(saved?.label === label ? saved.labelClasses : undefined, survey.labelValues);
  const positions = columns.map((c) => header.indexOf(c.name));
  const labelPosition = label === undefined ? -1 : header.indexOf(label);
  const features = featureCount(columns);
  if (features === 0) throw new DataFileError(file, 'has no feature columns besides the label');

  // Second pass: encode, fit the scaler on the training rows, keep everything compact.
  // The first pass counted the rows of each split, so the features get exactly their room (bad rows aside).
  const capacity = (rows: number, limit?: number) => Math.min(rows, limit ?? rows);
  const splits = {
    train: new SplitBuffers(capacity(survey.rows.train, options.trainLimit), features),
    test: new SplitBuffers(capacity(survey.rows.test, options.testLimit), features),
  };
  const stats = new RunningStats(features);
  const row = new Float32Array(features);
  let index = 0;
  const toEncode = survey.rows.train + survey.rows.test;
  for await (const record of rows()) {
    if (options.onProgress && index % PROGRESS_EVERY === 0) options.onProgress({ phase: 'encode', done: index, total: toEncode });
    const test = inTest(index++);
    const problem = shapeProblem(record, header) ?? encodeRow(columns, positions, record.values, row);
    if (problem) {
      skips.add(record.line, problem);
      continue;
    }
    const split = test ? splits.test : splits.train;
    if (split.full) continue;
    split.push(row, record.line, labelClasses ? labelClasses.indexOf(categoryOf(record.values[labelPosition])) : -1);
    if (!test && !options.encoding) stats.add(row);
  }
  options.onProgress?.({ phase: 'encode', done: toEncode, total: toEncode });
  const fitted = fittedScaler(columns, stats);
  const scaler = options.encoding?.scaler ?? fitted;
  if (scaler.mean.length !== features) throw new DataFileError(file, `the saved scaler has ${scaler.mean.length} features but the columns give ${features}`);
  if (!options.encoding && splits.train.count === 0 && testFraction < 1) throw new DataFileError(file, 'has no good training rows');
  const table: TableEncoding = { columns, ...(label !== undefined ? { label, labelClasses } : {}) };
  return {
    file,
    header,
    encoding: { scaler, table },
    train: splits.train.finish(options.standardize === false ? undefined : scaler, Boolean(labelClasses)),
    test: splits.test.finish(options.standardize === false ? undefined : scaler, Boolean(labelClasses)),
    skipped: skips.count,
    firstSkipped: skips.first,
  };
}

/** What the first pass learns about each column. */
interface Survey {
  numbers: number[];
  texts: number[];
  firstText: ({ line: number; value: string } | undefined)[];
  categories: Set<string>[];
  labelValues: Set<string>;
  /** Rows of the right shape in each split. */
  rows: { train: number; test: number };
}

async function surveyRows(
  file: string,
  header: string[],
  rows: () => AsyncGenerator<RawRecord>,
  label: string | undefined,
  inTest: (index: number) => boolean,
  skips: Skips,
  options: ReadTableOptions,
  fileSize: number | undefined,
): Promise<Survey> {
  const n = header.length;
  const survey: Survey = {
    numbers: new Array(n).fill(0),
    texts: new Array(n).fill(0),
    firstText: new Array(n).fill(undefined),
    categories: Array.from({ length: n }, () => new Set<string>()),
    labelValues: new Set(),
    rows: { train: 0, test: 0 },
  };
  const labelPosition = label === undefined ? -1 : header.indexOf(label);
  const cap = (options.maxCategories ?? MAX_CATEGORIES) + 1;
  let index = 0;
  let good = 0;
  for await (const record of rows()) {
    if (fileSize !== undefined && record.offset !== undefined && index % PROGRESS_EVERY === 0) {
      options.onProgress!({ phase: 'scan', done: record.offset, total: fileSize });
    }
    const test = inTest(index++);
    const problem = shapeProblem(record, header);
    if (problem) {
      // Rows of the wrong shape are bad whatever the columns turn out to be.
      skips.add(record.line, problem);
      continue;
    }
    good++;
    survey.rows[test ? 'test' : 'train']++;
    record.values.forEach((value, j) => {
      if (j === labelPosition) {
        survey.labelValues.add(categoryOf(value));
        return;
      }
      if (parseNumber(value) !== undefined) survey.numbers[j]++;
      else {
        survey.texts[j]++;
        survey.firstText[j] ??= { line: record.line, value: categoryOf(value) };
      }
      if (!test && survey.categories[j].size < cap) survey.categories[j].add(categoryOf(value));
    });
  }
  if (good === 0 && index === 0) throw new DataFileError(file, 'has a header but no data rows');
  if (fileSize !== undefined) options.onProgress!({ phase: 'scan', done: fileSize, total: fileSize });
  return survey;
}

/**
 * A column is a number column when most of its values are numbers (the
 * others are then bad rows); otherwise, or when named in `categorical`, it
 * is one-hot encoded, unless it has more than `maxCategories` categories.
 */
function decideColumns(file: string, header: string[], label: string | undefined, survey: Survey, options: ReadTableOptions): TableColumnEncoding[] {
  const max = options.maxCategories ?? MAX_CATEGORIES;
  for (const name of options.categorical ?? []) {
    if (!header.includes(name)) throw new ConfigError('categorical', `${file} has no column '${name}'; its columns are ${header.join(', ')}`);
  }
  return header.flatMap((name, j): TableColumnEncoding[] => {
    if (name === label) return [];
    const forced = options.categorical?.includes(name);
    if (!forced && survey.numbers[j] >= survey.texts[j] && survey.numbers[j] > 0) return [{ name, kind: 'numeric' }];
    const categories = [...survey.categories[j]].sort();
    if (categories.length > max) {
      const example = survey.firstText[j];
      throw new DataFileError(
        file,
        `column '${name}' is text with more than ${max} distinct values${example ? ` (e.g. ${JSON.stringify(example.value)} on line ${example.line})` : ''}; ` +
          `remove it, or make it numbers if it measures something`,
      );
    }
    return [{ name, kind: 'categorical', categories }];
  });
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
  // One-hot features stay 0/1: only number columns are standardised.
  let f = 0;
  for (const column of columns) {
    if (column.kind === 'numeric') f++;
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
  first?: string;
  // Both passes meet a bad row; it counts once.
  private readonly seen = new Set<number>();

  constructor(
    private readonly file: string,
    private readonly skip: boolean,
  ) {}

  add(line: number, problem: string): void {
    if (!this.skip) throw new DataFileError(this.file, `line ${line}: ${problem} (pass --skip-bad to skip such rows)`);
    if (this.seen.has(line)) return;
    this.seen.add(line);
    this.count++;
    this.first ??= `line ${line}: ${problem}`;
  }
}
