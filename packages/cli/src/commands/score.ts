import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import {
  anomalyMetrics,
  commandOptions,
  ConfigError,
  integerIn,
  option,
  range,
  reconstructionErrors,
  useBackend,
  z,
  type AnomalyMetrics,
  type Dataset,
  type DataEncoding,
  type OptionInput,
} from '@aekit/core';
import { loadAutoencoder, readModelMetadata, writeFileAtomic } from '@aekit/core/node';
import { isTableFile, loadRunData } from '../data-source.js';
import { backendOption } from '../options/shared-options.js';
import { dataProgress } from '../data-progress.js';
import { importDataTables, loadFigures, skippedPicturesNote } from '../optional-packages.js';
import { readRunMetrics, RUN_FILES } from '../run-directory.js';
import { csvCell, writeScoreHistogram, writeWorstImages, writeWorstRows, type ScoredItems } from '../score-pictures.js';

/** The options of `ae score`, declared once (flags, help, checks and the option table derive from it). */
export const scoreOptions = commandOptions({
  backend: backendOption(),
  normal: option(z.string().min(1), {
    value: 'class',
    help: 'the label value of normal items; every other label counts as an anomaly (default: a 0/1 label, 1 anomalous)',
  }),
  out: option(z.string().min(1), { value: 'dir', help: 'where to write scores.csv, score-metrics.json and the pictures (default: <run-dir>/score)' }),
  worst: option(integerIn({ min: 1 }), { value: 'n', help: 'worst-reconstructed items to show', default: 10 }),
  limit: option(integerIn({ min: 1 }), { value: 'n', help: 'score only the first N items' }),
  skipBad: option(z.boolean(), { help: 'skip and count bad table rows instead of stopping at the first' }),
});

/** Options of `ae score`: those it declares ({@link scoreOptions}), and the items per forward pass. */
export type ScoreOptions = OptionInput<typeof scoreOptions.shape> & {
  /** Items per forward pass. */
  batchSize?: number;
};

/** What `ae score` computed and wrote. */
export interface ScoreResult {
  /** One reconstruction error per item, in the data's order. */
  scores: Float32Array;
  /** 1 for anomalous, 0 for normal, per item, where the data has labels that say so. */
  anomalous?: Uint8Array;
  /** ROC AUC, PR AUC and best F1, where there are both normal and anomalous items. */
  metrics?: AnomalyMetrics;
  /** The directory written. */
  outDir: string;
  /** Files written there. */
  files: string[];
}

/** Label values read as "anomalous" in a two-valued label column when no `--normal` is given. */
const ANOMALOUS_VALUES = new Set(['1', 'true', 'anomaly', 'anomalous', 'outlier', 'yes']);
const NORMAL_VALUES = new Set(['0', 'false', 'normal', 'inlier', 'no']);

/**
 * `ae score <run-dir> [data]`: scores every item of some data by how badly
 * the run's model reconstructs it (mean squared error in the model's input
 * units; for a table, in standardised units with the saved scaler), and
 * writes `scores.csv` (one score per item, with its label), the score
 * distribution by label (`score-histogram.png`) and the worst items
 * (`worst.png` for images, `worst-rows.csv` with per-column errors for
 * tables). Where labels say which items are anomalous (a 0/1 label, or
 * `--normal <class>`), it reports ROC AUC, PR AUC (average precision) and
 * the best F1 with its threshold in `score-metrics.json`.
 *
 * @param runDir - A run directory written by `ae train`.
 * @param dataPath - A table file or idx directory; the run's own test data by default.
 * @param options - The options of {@link scoreOptions} (backend, normal class, output directory, worst items, limit, bad rows) and the batch size.
 * @param log - Where result lines go.
 */
export async function scoreCommand(runDir: string, dataPath: string | undefined, options: ScoreOptions, log: (line: string) => void): Promise<ScoreResult> {
  const dir = resolve(runDir);
  const run = await readRunMetrics(dir);
  const backend = await useBackend(options.backend);
  const modelDir = join(dir, RUN_FILES.model);
  const { encoding, dataShape } = await readModelMetadata(modelDir);
  const autoencoder = await loadAutoencoder(modelDir);
  try {
    const items = await loadItems(dataPath, run, { encoding, dataShape }, options, log);
    const data = items.data.reshape(autoencoder.inputShape);
    const scores = await reconstructionErrors(autoencoder, data, { batchSize: options.batchSize });
    const anomalous = items.classes && items.labels ? anomalyFlags(items.classes, items.labels, options.normal, log) : undefined;
    if (options.normal !== undefined && !items.labels) throw new ConfigError('normal', `${items.source} has no labels to compare with '${options.normal}'`);
    const hasBoth = anomalous && anomalous.includes(1) && anomalous.includes(0);
    const metrics = hasBoth ? anomalyMetrics(scores, anomalous) : undefined;

    const outDir = resolve(options.out ?? join(dir, 'score'));
    await mkdir(outDir, { recursive: true });
    const scored: ScoredItems = { ...items, data, scores, anomalous };
    const files = [await writeScoresCsv(outDir, scored)];
    const pictures = await loadFigures();
    const figures = pictures.writerFor(outDir);
    files.push(await writeScoreHistogram(figures, scored, `${autoencoder.family}: reconstruction error of ${scores.length} items`));
    const worst = worstIndices(scores, options.worst ?? 10);
    if (encoding?.table && encoding.scaler) files.push(await writeWorstRows(outDir, autoencoder, scored, worst, { table: encoding.table, scaler: encoding.scaler }));
    else {
      const picture = await writeWorstImages(figures, autoencoder, scored, worst, dataShape);
      if (picture) files.push(picture);
    }
    const summary = {
      run: dir,
      family: autoencoder.family,
      data: items.source,
      backend,
      items: scores.length,
      score: 'mean squared reconstruction error per item, in the model input units' + (encoding?.scaler ? ' (standardised with the saved scaler)' : ''),
      meanScore: mean(scores),
      ...(items.skipped ? { skippedRows: items.skipped } : {}),
      ...(options.normal !== undefined ? { normal: options.normal } : {}),
      ...(metrics ? { metrics, chanceAveragePrecision: metrics.anomalies / metrics.items } : {}),
      worst: Array.from(worst, (i) => ({ item: items.ids[i], score: scores[i], ...(items.labels && items.classes ? { label: items.classes[items.labels[i]] } : {}) })),
    };
    files.push(join(outDir, 'score-metrics.json'));
    await writeFileAtomic(files.at(-1)!, JSON.stringify(summary, null, 2) + '\n');

    log(`scored ${scores.length} items of ${items.source} with ${backend}: mean reconstruction error ${summary.meanScore.toPrecision(4)}`);
    if (metrics) {
      const f = metrics.bestF1;
      log(
        `${metrics.anomalies} anomalous of ${metrics.items}: ROC AUC ${metrics.rocAuc.toFixed(4)}, PR AUC ${metrics.averagePrecision.toFixed(4)} ` +
          `(chance ${(metrics.anomalies / metrics.items).toFixed(4)}), best F1 ${f.f1.toFixed(4)} at score >= ${f.threshold.toPrecision(4)} (precision ${f.precision.toFixed(4)}, recall ${f.recall.toFixed(4)})`,
      );
    } else if (anomalous) {
      log('every item has the same anomaly label, so ROC AUC and PR AUC are undefined');
    }
    log(`wrote ${files.join(', ')}`);
    const skipped = skippedPicturesNote(pictures);
    if (skipped) log(skipped);
    return { scores, anomalous, metrics, outDir, files };
  } finally {
    autoencoder.dispose();
  }
}

/** The items to score, with an id (table line or index) and labels where the data has them. */
async function loadItems(
  dataPath: string | undefined,
  run: Awaited<ReturnType<typeof readRunMetrics>>,
  model: { encoding?: DataEncoding; dataShape: readonly number[] },
  options: ScoreOptions,
  log: (line: string) => void,
): Promise<Omit<ScoredItems, 'scores' | 'anomalous'>> {
  const { encoding, dataShape } = model;
  const seed = run.seed ?? 0;
  const tablePath = dataPath ?? (encoding?.table ? run.data : undefined);
  if (tablePath && isTableFile(tablePath)) {
    if (!encoding?.table) throw new ConfigError('data', `the model in this run was not trained on a table, so it cannot score ${tablePath}`);
    const { readTable, TEST_FRACTION } = await importDataTables();
    // A file given: all its rows. The run's own table: its held-out test rows.
    const progress = dataProgress();
    const table = await readTable(resolve(tablePath), {
      encoding,
      seed,
      testFraction: dataPath ? 1 : TEST_FRACTION,
      testLimit: options.limit,
      skipBad: options.skipBad,
      onProgress: progress.onProgress,
    }).finally(progress.stop);
    if (table.skipped) log(`skipped ${table.skipped} bad row${table.skipped > 1 ? 's' : ''} (the first: ${table.firstSkipped})`);
    const data = table.test.data;
    const withLabels = table.encoding.table.labelClasses !== undefined;
    return {
      source: resolve(tablePath) + (dataPath ? '' : ' (test rows)'),
      data,
      ids: Array.from(table.test.lines, (line) => `line ${line}`),
      idHeader: 'line',
      labels: withLabels ? data.labels(range(0, data.size)) : undefined,
      classes: table.encoding.table.labelClasses,
      skipped: table.skipped,
    };
  }
  const loaded = await loadRunData(run, { data: dataPath, testLimit: options.limit, dataShape });
  const data = loaded.test;
  const labels = tryLabels(data);
  const classes = labels ? Array.from({ length: Math.max(...labels) + 1 }, (_, i) => String(i)) : undefined;
  return { source: `${loaded.source} (test set)`, data, ids: Array.from({ length: data.size }, (_, i) => String(i)), idHeader: 'index', labels, classes };
}

function tryLabels(data: Dataset): Int32Array | undefined {
  if (!data.labels || data.size === 0) return undefined;
  try {
    return data.labels(range(0, data.size));
  } catch {
    return undefined;
  }
}

/**
 * Which items are anomalous: those whose label is not `normal`, or, for a
 * two-valued label without `--normal`, those labelled 1 / true / anomaly.
 * Undefined (with a line saying why) when the labels do not say.
 */
function anomalyFlags(classes: string[], labels: Int32Array, normal: string | undefined, log: (line: string) => void): Uint8Array | undefined {
  const present = [...new Set(labels)].map((c) => classes[c]);
  if (normal !== undefined) {
    if (!present.includes(normal)) throw new ConfigError('normal', `'${normal}' is no label value of these items; they are ${present.sort().join(', ')}`);
    return Uint8Array.from(labels, (c) => (classes[c] === normal ? 0 : 1));
  }
  const lower = present.map((v) => v.toLowerCase());
  if (lower.every((v) => ANOMALOUS_VALUES.has(v) || NORMAL_VALUES.has(v))) return Uint8Array.from(labels, (c) => (ANOMALOUS_VALUES.has(classes[c].toLowerCase()) ? 1 : 0));
  log(`the labels have ${present.length} values (${present.slice(0, 8).join(', ')}${present.length > 8 ? ', …' : ''}); pass --normal <value> to compute ROC AUC, PR AUC and F1`);
  return undefined;
}

async function writeScoresCsv(outDir: string, items: ScoredItems): Promise<string> {
  const withLabels = items.labels && items.classes;
  const header = [items.idHeader, 'score', ...(withLabels ? ['label'] : []), ...(items.anomalous ? ['anomalous'] : [])];
  const lines = [header.join(',')];
  for (let i = 0; i < items.scores.length; i++) {
    const cells = [csvCell(items.ids[i]), String(items.scores[i])];
    if (withLabels) cells.push(csvCell(items.classes![items.labels![i]]));
    if (items.anomalous) cells.push(String(items.anomalous[i]));
    lines.push(cells.join(','));
  }
  const file = join(outDir, 'scores.csv');
  await writeFileAtomic(file, lines.join('\n') + '\n');
  return file;
}

/** Indices of the `n` highest scores, highest first. */
function worstIndices(scores: Float32Array, n: number): Int32Array {
  return Int32Array.from(range(0, scores.length))
    .sort((a, b) => scores[b] - scores[a])
    .subarray(0, Math.min(n, scores.length));
}

function mean(values: Float32Array): number {
  return values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
}
