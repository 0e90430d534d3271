import { ConfigError, DataFileError, type DatePart, type ImputeStrategy, type TableColumnEncoding } from '@aekit/core';
import type { RowUnit } from './records.js';
import { categoryOf, isMissing, looksLikeOtherDate, parseDate, parseNumber, type CellValue } from './cell-values.js';

/** Cells of a column (the first ones that are not missing, of every row) counted to tell an ID-like column from a category. */
const ID_SAMPLE = 10_000;
/** Fewest cells before a column can count as ID-like rather than a small set of categories. */
const ID_MIN_VALUES = 20;
/**
 * Share of a column's cells holding a value seen only once, from which
 * the column is ID-like (an ID, a name, an address, free text) rather than
 * a category: one-hot, each such value would be a feature that marks a
 * single row, nothing to learn from, and unseen in held-out rows. A share,
 * not "every value distinct", so that a few repeated surnames or addresses
 * in a small table do not make the column a category of 58 values in 63 rows.
 */
const ID_SINGLE_SHARE = 0.5;
/** Distinct numbers counted for a most-frequent fill; past it the mode is taken among the values counted. */
const MODE_CAP = 100_000;

/**
 * What the first pass over a table learns about one column: how many of
 * its cells are numbers, dates, other text or missing, its categories (over
 * the training rows), how often its texts repeat (over every row), and what
 * an imputed fill value needs.
 */
export class ColumnSurvey {
  numbers = 0;
  texts = 0;
  dates = 0;
  otherDates = 0;
  missing = 0;
  /** The first text value and its line (record, row), for messages. */
  firstText?: { line: number; value: string };
  /** Categories of the training rows and their counts, up to the cap. */
  readonly categories = new Map<string, number>();
  /**
   * How often each value was seen, over the first {@link ID_SAMPLE} cells
   * that are not missing, of every row (training or not: whether a column
   * is an ID does not depend on the split); undefined once the column is
   * mostly numbers, which no ID column is (a wide table of numbers would
   * otherwise fill memory with them).
   */
  private valueCounts: Map<string, number> | undefined = new Map();
  private valuesCounted = 0;
  /** Whether any date has a time of day; the first and last date (of every row, so the origin of `days` does not depend on the split). */
  anyTime = false;
  minTime = Infinity;
  maxTime = -Infinity;
  /** Distinct days and days of the year seen (up to a cap), to tell daily data from yearly or monthly data. */
  readonly days = new Set<number>();
  readonly daysOfYear = new Set<number>();
  // For fill values (training rows): a running mean, all values for a median, counts for a mode.
  private sum = 0;
  private count = 0;
  private readonly kept: number[] = [];
  private readonly counts = new Map<number, number>();

  /**
   * @param categoryCap - How many distinct categories are counted; values first seen past it are not.
   * @param impute - How {@link ColumnSurvey.fill} computes a fill value (mean, median or most frequent), or undefined for none.
   */
  constructor(
    private readonly categoryCap: number,
    private readonly impute: ImputeStrategy | undefined,
  ) {}

  /**
   * Counts one cell.
   *
   * @param value - The cell.
   * @param line - Its line, for messages.
   * @param training - Whether the row is a training row (categories and fill values come from those only).
   */
  add(value: CellValue, line: number, training: boolean): void {
    if (isMissing(value)) {
      this.missing++;
      return;
    }
    const n = parseNumber(value);
    if (n !== undefined) {
      this.numbers++;
      if (training) this.addValue(n);
    } else {
      this.texts++;
      this.firstText ??= { line, value: String(value) };
      const time = parseDate(value);
      if (time !== undefined) {
        this.dates++;
        this.anyTime ||= time % 86_400_000 !== 0;
        this.minTime = Math.min(this.minTime, time);
        this.maxTime = Math.max(this.maxTime, time);
        const day = Math.floor(time / 86_400_000);
        if (this.days.size < MODE_CAP) this.days.add(day);
        this.daysOfYear.add(Math.floor((time - Date.UTC(new Date(time).getUTCFullYear(), 0, 1)) / 86_400_000));
        if (training) this.addValue(time);
      } else if (looksLikeOtherDate(value)) this.otherDates++;
    }
    const category = categoryOf(value);
    if (this.valueCounts && this.numbers > this.texts && this.numbers >= ID_MIN_VALUES) this.valueCounts = undefined;
    else if (this.valueCounts && this.valuesCounted < ID_SAMPLE) {
      this.valuesCounted++;
      this.valueCounts.set(category, (this.valueCounts.get(category) ?? 0) + 1);
    }
    if (!training) return;
    if (this.categories.size < this.categoryCap || this.categories.has(category)) this.categories.set(category, (this.categories.get(category) ?? 0) + 1);
  }

  /**
   * Why the column is ID-like, or undefined when it is not: it holds more
   * texts than numbers (titles such as `1776` and `300` among them are
   * counted too), at least 20 values (`ID_MIN_VALUES`), and half of them
   * or more (`ID_SINGLE_SHARE`) are values seen only once.
   */
  get idLike(): string | undefined {
    if (!this.valueCounts || this.texts <= this.numbers || this.valuesCounted < ID_MIN_VALUES) return undefined;
    let once = 0;
    for (const count of this.valueCounts.values()) if (count === 1) once++;
    if (once < ID_SINGLE_SHARE * this.valuesCounted) return undefined;
    const example = `e.g. ${JSON.stringify(this.firstText?.value)}`;
    // Counted on the first cells only: the note says so.
    const sampled = this.texts + this.numbers > this.valuesCounted;
    if (once === this.valuesCounted) return `${sampled ? `each of the first ${this.valuesCounted} values` : 'every value'} is a different text (${example})`;
    const cells = sampled ? `the first ${this.valuesCounted} cells` : `${this.valuesCounted} cells`;
    return `${this.valueCounts.size} different values in ${cells}, ${once} of them seen only once (${example})`;
  }

  /** The fill value of a number or date column by the imputation strategy, from the training rows; undefined without values. */
  fill(): number | undefined {
    if (this.count === 0 || !this.impute) return undefined;
    if (this.impute === 'mean') return this.sum / this.count;
    if (this.impute === 'median') {
      const sorted = Float64Array.from(this.kept).sort();
      const mid = sorted.length >> 1;
      return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
    return mostFrequent(this.counts);
  }

  /** The most frequent training category (besides the missing one). */
  modeCategory(): string | undefined {
    return mostFrequent(new Map([...this.categories].filter(([k]) => k !== '')));
  }

  private addValue(value: number): void {
    this.sum += value;
    this.count++;
    if (this.impute === 'median') this.kept.push(value);
    if (this.impute === 'most-frequent' && (this.counts.size < MODE_CAP || this.counts.has(value))) this.counts.set(value, (this.counts.get(value) ?? 0) + 1);
  }
}

/** The key seen most often; the smallest (first in sort order) among ties, so the choice does not depend on row order. */
function mostFrequent<K extends string | number>(counts: Map<K, number>): K | undefined {
  let best: K | undefined;
  let most = 0;
  for (const [key, count] of counts) {
    if (count > most || (count === most && best !== undefined && key < best)) {
      best = key;
      most = count;
    }
  }
  return best;
}

/** What {@link decideColumns} is told. */
export interface ColumnChoice {
  file: string;
  header: readonly string[];
  /** What the rows' numbers count, for messages (`line` unless given). */
  unit?: RowUnit;
  label?: string;
  /** Keep only these columns as features. */
  columns?: readonly string[];
  /** Leave these columns out. */
  drop?: readonly string[];
  /** One-hot these columns even when their values are numbers. */
  categorical?: readonly string[];
  maxCategories: number;
  impute?: ImputeStrategy;
}

/** Feature columns, and the columns left out with the reason. */
export interface DecidedColumns {
  columns: TableColumnEncoding[];
  dropped: { name: string; reason: string }[];
}

/**
 * Decides what each column becomes: a number column when most of its
 * values are numbers (the others are then bad rows); a date column when
 * most of its values are dates {@link parseDate} reads (the others are then
 * bad rows too); dropped, with the reason, when it is
 * ID-like (texts mostly seen once), empty, holds dates in an unread form, or was
 * left out by `columns`/`drop`; otherwise one-hot encoded, unless it has
 * more than `maxCategories` categories.
 *
 * @param surveys - One survey per header column.
 * @param choice - The file, header, label and the user's column choices.
 * @throws ConfigError naming a column of `columns`, `drop` or `categorical` that is not in the file.
 * @throws DataFileError naming every text column with too many categories to one-hot.
 */
export function decideColumns(surveys: readonly ColumnSurvey[], choice: ColumnChoice): DecidedColumns {
  const { file, header, label } = choice;
  for (const [field, names] of [['columns', choice.columns], ['drop', choice.drop], ['categorical', choice.categorical]] as const) {
    for (const name of names ?? []) {
      if (!header.includes(name)) throw new ConfigError(field, `${file} has no column '${name}'; its columns are ${header.join(', ')}`);
    }
  }
  const columns: TableColumnEncoding[] = [];
  const dropped: { name: string; reason: string }[] = [];
  // Text columns with too many categories, all named in one error rather than one a run.
  const tooMany: { name: string; example?: { value: string; line: number } }[] = [];
  header.forEach((name, j) => {
    if (name === label) return;
    const survey = surveys[j];
    const drop = (reason: string) => void dropped.push({ name, reason });
    if (choice.columns && !choice.columns.includes(name)) return drop('not named by --columns');
    if (choice.drop?.includes(name)) return drop('named by --drop');
    if (survey.numbers + survey.texts === 0) return drop('has no values');
    const forced = choice.categorical?.includes(name);
    const fill = survey.fill();
    const withFill = <T extends object>(column: T) => (choice.impute && fill !== undefined ? { ...column, fill } : column);
    if (!forced && survey.numbers >= survey.texts) return void columns.push(withFill({ name, kind: 'numeric' as const }));
    // Most values dates: a date column, whose other values are bad rows (named by line, or skipped), as with numbers.
    if (!forced && survey.dates * 2 > survey.texts + survey.numbers) return void columns.push(withFill({ name, kind: 'datetime' as const, parts: dateParts(survey), origin: Math.floor(survey.minTime / 86_400_000) * 86_400_000 }));
    if (!forced && survey.otherDates > survey.texts / 2) {
      return drop(`holds dates in a form that is not read (e.g. ${JSON.stringify(survey.firstText?.value)}); write them as YYYY-MM-DD (or with the month named, Jun 12 1998) to use them`);
    }
    const idLike = forced ? undefined : survey.idLike;
    if (idLike) return drop(`is ID-like: ${idLike}`);
    const categories = [...survey.categories.keys()].sort();
    if (categories.length > choice.maxCategories) return void tooMany.push({ name, example: survey.firstText });
    const mode = choice.impute === 'most-frequent' ? survey.modeCategory() : undefined;
    columns.push({ name, kind: 'categorical', categories, ...(mode !== undefined ? { fill: mode } : {}) });
  });
  if (tooMany.length > 0) {
    const example = ({ example }: (typeof tooMany)[number]) => (example ? ` (e.g. ${JSON.stringify(example.value)} on ${choice.unit ?? 'line'} ${example.line})` : '');
    const names = tooMany.map((c) => c.name).join(',');
    if (tooMany.length === 1) {
      throw new DataFileError(
        file,
        `column '${names}' is text with more than ${choice.maxCategories} distinct values${example(tooMany[0])}; leave it out with --drop '${names}', allow more with --max-categories, or make it numbers if it measures something`,
      );
    }
    const named = tooMany.map((c) => `'${c.name}'${example(c)}`);
    throw new DataFileError(
      file,
      `columns ${named.slice(0, -1).join(', ')} and ${named.at(-1)} are text with more than ${choice.maxCategories} distinct values each; ` +
        `leave them out with --drop '${names}', allow more with --max-categories, or make them numbers if they measure something`,
    );
  }
  return { columns, dropped };
}

/**
 * Days always; the place in the year when the dates span two months or
 * more on more than one day of the year (not yearly data such as
 * `1970-01-01`, `1971-01-01`); the place in the week when they span two
 * weeks with two or more dates a week on average (daily data, not monthly);
 * the place in the day when any has a time.
 */
function dateParts(survey: ColumnSurvey): DatePart[] {
  const span = (survey.maxTime - survey.minTime) / 86_400_000;
  const parts: DatePart[] = ['days'];
  if (span >= 60 && survey.daysOfYear.size > 1) parts.push('year-sin', 'year-cos');
  if (span >= 14 && survey.days.size >= (2 * span) / 7) parts.push('week-sin', 'week-cos');
  if (survey.anyTime) parts.push('day-sin', 'day-cos');
  return parts;
}
