import { join } from 'node:path';
import { tf, type Autoencoder, type Dataset, type FigureWriter, type ImageRow, type TablePreprocessing } from '@aekit/core';
import { writeFileAtomic } from '@aekit/core/node';
import { importDataTables } from './optional-packages.js';

/** Scored items as `ae score` hands them to its pictures. */
export interface ScoredItems {
  /** Where the items came from, for messages. */
  source: string;
  /** The items, in the model's input shape. */
  data: Dataset;
  /** An id per item: `line 12` for a table row, the index otherwise. */
  ids: string[];
  /** Header of the id column in `scores.csv`. */
  idHeader: string;
  /** Class of each item, where the data has labels. */
  labels?: Int32Array;
  /** Name of each class. */
  classes?: string[];
  /** Reconstruction error of each item. */
  scores: Float32Array;
  /** 1 for anomalous items, where the labels say. */
  anomalous?: Uint8Array;
  /** The label value of the normal items, where `anomalous` came from one. */
  normal?: string;
  /** Bad table rows skipped. */
  skipped?: number;
}

/** Bins of the score histogram. */
const BINS = 40;

/**
 * Writes `score-histogram.png`: the distribution of scores, one line per
 * group (normal and anomalous items, or each label, or all items), each
 * as the share of its items per bin so that a small anomalous group shows
 * beside a large normal one.
 */
export async function writeScoreHistogram(figures: FigureWriter, items: ScoredItems, title: string): Promise<string> {
  const { scores } = items;
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of scores) {
    lo = Math.min(lo, s);
    hi = Math.max(hi, s);
  }
  const width = hi > lo ? (hi - lo) / BINS : 1;
  const groupOf = groups(items);
  const series = groupOf.names.map((name, g) => {
    const counts = new Float64Array(BINS);
    let total = 0;
    scores.forEach((s, i) => {
      if (groupOf.of[i] !== g) return;
      counts[Math.min(BINS - 1, Math.floor((s - lo) / width))]++;
      total++;
    });
    return {
      name: `${name} (${total})`,
      x: Array.from({ length: BINS }, (_, b) => lo + (b + 0.5) * width),
      y: Array.from(counts, (c) => c / Math.max(1, total)),
    };
  });
  return figures.lines('score-histogram.png', { title, xLabel: 'reconstruction error', yLabel: 'share of items', series: series.filter((s) => !s.name.endsWith('(0)')) });
}

function groups(items: ScoredItems): { names: string[]; of: ArrayLike<number> } {
  if (items.anomalous) {
    const { labels, classes } = items;
    // Named by the label values ("normal", "scratched"); values that do not say their role themselves (0/1, true/false) get it added.
    const valuesOf = (flag: number) => (labels && classes ? [...new Set(Array.from(labels).filter((_, i) => items.anomalous![i] === flag).map((c) => classes[c]))].sort() : []);
    const name = (flag: number, role: string) => {
      const values = valuesOf(flag);
      if (values.length === 0 || values.length > 3) return role;
      return /^(0|1|true|false)$/i.test(values.join()) ? `${values[0]}: ${role}` : values.join(', ');
    };
    return { names: [name(0, 'normal'), name(1, 'anomalous')], of: items.anomalous };
  }
  if (items.labels && items.classes && items.classes.length <= 10) return { names: items.classes, of: items.labels };
  return { names: ['all items'], of: new Uint8Array(items.scores.length) };
}

/**
 * Writes `worst.png` for image data: the worst-reconstructed items above
 * their reconstructions, in colour for RGB images. Returns undefined
 * for data that is not images.
 */
export async function writeWorstImages(
  figures: FigureWriter,
  autoencoder: Autoencoder,
  items: ScoredItems,
  worst: Int32Array,
  dataShape: readonly number[],
): Promise<string | undefined> {
  if (dataShape.length < 2 || worst.length === 0) return undefined;
  const [height, width] = dataShape;
  const stored = dataShape.length > 2 ? dataShape[2] : 1;
  // Grey and RGB are drawn as they are; other channel counts as the mean of their channels.
  const channels = stored === 3 ? 3 : 1;
  const { input, output } = reconstructItems(autoencoder, items.data, worst);
  const per = height * width * stored;
  const item = (values: Float32Array, i: number) =>
    stored === channels
      ? values.slice(i * per, (i + 1) * per)
      : Float32Array.from({ length: height * width }, (_, p) => {
          let sum = 0;
          for (let c = 0; c < stored; c++) sum += values[i * per + p * stored + c];
          return sum / stored;
        });
  const rows: ImageRow[] = [
    { label: 'worst items', images: Array.from(worst, (_, i) => item(input, i)), height, width, channels },
    { label: 'reconstruction', images: Array.from(worst, (_, i) => item(output, i)), height, width, channels },
  ];
  const range = `${items.scores[worst[0]].toPrecision(3)} … ${items.scores[worst[worst.length - 1]].toPrecision(3)}`;
  return figures.imageRows('worst.png', rows, { scale: 3, title: `worst-reconstructed items (errors ${range})${labelSummary(items, worst)}` });
}

/** `: 8 anomaly, 2 normal`: the labels of some items by name, most frequent first; empty without labels. */
function labelSummary(items: ScoredItems, indices: ArrayLike<number>): string {
  const { labels, classes } = items;
  if (!labels || !classes) return '';
  const counts = new Map<string, number>();
  for (const i of Array.from(indices)) counts.set(classes[labels[i]], (counts.get(classes[labels[i]]) ?? 0) + 1);
  return `: ${[...counts].sort((a, b) => b[1] - a[1]).map(([name, n]) => `${n} ${name}`).join(', ')}`;
}

/**
 * Writes `worst-rows.csv` for a table: the worst-reconstructed rows, each
 * column's value as in the file, the model's reconstruction of it and its
 * squared error in standardised units (a one-hot column sums its
 * features), so one sees which columns make a row unusual.
 *
 * @param outDir - The folder to write into.
 * @param autoencoder - The model that scored the items.
 * @param items - The scored items, with their ids (`line 12`).
 * @param worst - The positions of the worst items, worst first.
 * @param preprocessing - The model's table description: columns, scaler and delimiter.
 * @param tableFile - The table file the items' ids count in: the values shown are its cells as written.
 *   Without it (or for a row it no longer has) they are decoded from the model's features, which
 *   is approximate: float32, a date to the second, a category the model never saw as none.
 */
export async function writeWorstRows(
  outDir: string,
  autoencoder: Autoencoder,
  items: ScoredItems,
  worst: Int32Array,
  preprocessing: TablePreprocessing,
  tableFile?: string,
): Promise<string> {
  const { columnErrors, decodeRow, rowsById } = await importDataTables();
  const { columns, scaler } = preprocessing;
  const { input, output } = reconstructItems(autoencoder, items.data, worst);
  const asWritten = tableFile ? await rowsById(tableFile, Array.from(worst, (item) => items.ids[item]), preprocessing.delimiter) : new Map<string, Record<string, string | number | boolean | null>>();
  const features = scaler.mean.length;
  const withLabels = items.labels && items.classes;
  const header = [items.idHeader, 'score', ...(withLabels ? ['label'] : []), ...columns.flatMap((c) => [c.name, `${c.name} (reconstructed)`, `${c.name} (error)`])];
  const lines = [header.map(csvCell).join(',')];
  worst.forEach((item, i) => {
    const x = input.subarray(i * features, (i + 1) * features);
    const y = output.subarray(i * features, (i + 1) * features);
    const cellsOf = asWritten.get(items.ids[item]);
    const original = cellsOf ? columns.map((c) => cellText(cellsOf[c.name])) : decodeRow(columns, scaler, x);
    const rebuilt = decodeRow(columns, scaler, y);
    const errors = columnErrors(columns, Array.from(x, (v, f) => (v - y[f]) ** 2));
    const cells = [items.ids[item], String(items.scores[item]), ...(withLabels ? [items.classes![items.labels![item]]] : [])];
    // Six significant digits: the values went through float32 features.
    const shown = (v: string | number) => (typeof v === 'number' ? String(Number(v.toPrecision(6))) : v);
    columns.forEach((_, c) => cells.push(shown(original[c]), shown(rebuilt[c]), errors[c].toPrecision(4)));
    lines.push(cells.map(csvCell).join(','));
  });
  const file = join(outDir, 'worst-rows.csv');
  await writeFileAtomic(file, lines.join('\n') + '\n');
  return file;
}

/** A cell as the file wrote it, for a CSV of values: an empty or null cell is empty. */
function cellText(value: string | number | boolean | null | undefined): string {
  return value === null || value === undefined ? '' : String(value);
}

/** A CSV cell, quoted when it holds a comma, quote or line break. */
export function csvCell(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** The inputs of some items and the model's reconstructions of them, as flat arrays. */
export function reconstructItems(autoencoder: Autoencoder, data: Dataset, indices: ArrayLike<number>): { input: Float32Array; output: Float32Array } {
  return tf.tidy(() => {
    const x = data.batch(indices);
    return { input: x.dataSync() as Float32Array, output: autoencoder.reconstruct(x).dataSync() as Float32Array };
  });
}
