import { join, resolve } from 'node:path';
import {
  anomalyMetrics,
  commandOptions,
  ConfigError,
  imagePreprocessingFor,
  integerIn,
  option,
  preprocessors,
  range,
  reconstructionErrors,
  useBackend,
  z,
  type AnomalyMetrics,
  type Autoencoder,
  type Dataset,
  type OptionInput,
  type Preprocessing,
} from '@aekit/core';
import { loadAutoencoder, prepareOutputFolder, readModelMetadata, writeFileAtomic } from '@aekit/core/node';
import { loadRunData } from '../data-source.js';
import { backendOption } from '../options/shared-options.js';
import { dataProgress } from '../data-progress.js';
import { loadFigures, skippedPicturesNote } from '../optional-packages.js';
import { readRunMetrics, RUN_FILES, type RunDataSettings } from '../run-directory.js';
import { scoreSeries } from '../series/score-series.js';
import type { SeriesRunRecord } from '../series/series-data.js';
import { csvCell, writeScoreHistogram, writeWorstImages, writeWorstRows, type ScoredItems } from '../score-pictures.js';
import { describeScoreBaselines, scoreBaselines } from '../baselines/score-baselines.js';

/** The options of `ae score`, declared once (flags, help, checks and the option table derive from it). */
export const scoreOptions = commandOptions({
  backend: backendOption(),
  normal: option(z.string().min(1), {
    value: 'value',
    help: 'the label value (folder name, label column value) of normal items; every other counts as an anomaly (needed unless the label is true/false, or 0/1 in a table)',
  }),
  anomaly: option(z.string().min(1), { value: 'value', help: 'the label value of anomalous items; every other counts as normal (instead of --normal)' }),
  out: option(z.string().min(1), { value: 'dir', help: 'where to write scores.csv, score-metrics.json and the pictures (default: <run-dir>/score)' }),
  worst: option(integerIn({ min: 1 }), { value: 'n', help: 'worst-reconstructed items to show', default: 10 }),
  limit: option(integerIn({ min: 1 }), { value: 'n', help: 'score only the first N items' }),
  skipBad: option(z.boolean(), { help: 'skip and count bad table rows or image files instead of stopping at the first (default: as the run did)' }),
  cacheDir: option(z.string().min(1), {
    value: 'dir',
    help: 'decode an image folder into a cache in this folder, kept for reuse by later runs (default: in memory, or for a large folder the temporary folder, removed at the end)',
  }),
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

/** Label values read as true and false in a boolean label: `true`/`false`, and in a table the numbers 1 and 0. */
const BOOLEAN_LABELS = [
  ['false', 'true'],
  ['0', '1'],
] as const;

/**
 * `ae score <run-dir> [data]`: scores every item of some data by how badly
 * the run's model reconstructs it (mean squared error in the model's input
 * units; for a table, in standardised units with the saved scaler), and
 * writes `scores.csv` (one score per item, with its label), the score
 * distribution by label (`score-histogram.png`) and the worst items
 * (`worst.png` for images, `worst-rows.csv` with per-column errors for
 * tables). Given data (a file or a folder), every item of it is read
 * with the model's saved preprocessing and scored; without data, the run's
 * own test split. Labels are named as in the data (folder names, label
 * values); where they say which items are anomalous, it reports ROC AUC,
 * PR AUC (average precision) and the best F1 with its threshold in
 * `score-metrics.json`. Which label is normal is never guessed: give
 * `--normal <value>`, unless the label is boolean (`true`/`false`, or
 * 0/1 in a table, 1 anomalous); two other values without `--normal` are
 * refused.
 *
 * @example
 * ```ts
 * import { registry } from '@aekit/core';
 * import { scoreCommand } from '@aekit/cli';
 * import { plugin as dense } from '@aekit/models-dense';
 *
 * registry.use(dense); // the family of the run's model
 * const result = await scoreCommand('runs/tables', 'data/transactions.csv', { normal: 'ok', out: 'scores' }, console.log);
 * console.log(result.scores.length, result.metrics?.rocAuc); // one score per row; the ROC AUC of the labels
 * ```
 * @param runDir - A run directory written by `ae train`.
 * @param dataPath - A file or folder of items to score; the run's own test data by default.
 * @param options - The options of {@link scoreOptions} (backend, normal or anomalous label, output directory, worst items, limit, bad items, cache) and the batch size.
 * @param log - Where result lines go.
 */
export async function scoreCommand(runDir: string, dataPath: string | undefined, options: ScoreOptions, log: (line: string) => void): Promise<ScoreResult> {
  const dir = resolve(runDir);
  const run = await readRunMetrics(dir);
  // Checked before any work: an --out that is not ours is refused, not written into.
  const outDir = await prepareOutputFolder(options.out ?? join(dir, 'score'), { expected: ['scores.csv', 'score-metrics.json'] });
  const backend = await useBackend(options.backend);
  const modelDir = join(dir, RUN_FILES.model);
  const metadata = await readModelMetadata(modelDir);
  const { dataShape } = metadata;
  const preprocessing = metadata.preprocessing ?? imagePreprocessingFor(dataShape);
  const autoencoder = await loadAutoencoder(modelDir);
  let items: LoadedItems | undefined;
  try {
    if (preprocessing?.kind === 'series') {
      const outDir = resolve(options.out ?? join(dir, 'score'));
      const series = (run as { series?: SeriesRunRecord }).series;
      return await scoreSeries({ runDir: dir, autoencoder, preprocessing, threshold: metadata.threshold, run: { data: run.data, series }, backend, dataPath, outDir, batchSize: options.batchSize, log });
    }
    items = await loadItems(dataPath, run, preprocessing, options, log);
    if (options.normal !== undefined && options.anomaly !== undefined) throw new ConfigError('anomaly', 'give --normal or --anomaly, not both');
    const named = options.normal ?? options.anomaly;
    if (named !== undefined && !items.labels) throw new ConfigError(options.normal !== undefined ? 'normal' : 'anomaly', `${items.source} has no labels to compare with '${named}'`);
    // A run trained on the rows of one label value (--normal) says which value is normal, unless told otherwise here.
    const trainedNormal = run.trainWhere && !run.trainWhere.not && preprocessing?.kind === 'table' && run.trainWhere.column === preprocessing.label ? run.trainWhere.value : undefined;
    const useTrained = named === undefined && trainedNormal !== undefined && items.classes?.includes(trainedNormal);
    if (useTrained) log(`'${trainedNormal}' is the normal label value, as in training (--normal or --anomaly says otherwise)`);
    const anomalous = items.classes && items.labels ? anomalyFlags(items.classes, items.labels, useTrained ? { normal: trainedNormal } : options, preprocessing?.kind === 'table', log) : undefined;
    const data = items.data.reshape(autoencoder.inputShape);
    const scores = await reconstructionErrors(autoencoder, data, { batchSize: options.batchSize });
    const hasBoth = anomalous && anomalous.includes(1) && anomalous.includes(0);
    const metrics = hasBoth ? anomalyMetrics(scores, anomalous) : undefined;
    const baselines = hasBoth ? await scoreBaselines({ dir, data: run, seed: run.seed ?? 0, preprocessing, skipBad: options.skipBad ?? run.skipBad }, data, anomalous) : undefined;

    const scored: ScoredItems = { ...items, data, scores, anomalous, normal: options.anomaly === undefined ? normalValue(items, anomalous) : undefined };
    const files = [await writeScoresCsv(outDir, scored)];
    const pictures = await loadFigures();
    const figures = pictures.writerFor(outDir);
    files.push(await writeScoreHistogram(figures, scored, `${autoencoder.family}: reconstruction error of ${scores.length} items`));
    const worst = worstIndices(scores, options.worst ?? 10);
    // The file the rows' ids count in, so the worst rows show its cells as written.
    if (preprocessing?.kind === 'table') files.push(await writeWorstRows(outDir, autoencoder, scored, worst, preprocessing, dataPath ? resolve(dataPath) : run.data));
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
      score: 'mean squared reconstruction error per item, in the model input units' + (preprocessing?.kind === 'table' ? ' (standardised with the saved scaler)' : ''),
      trainingLoss: autoencoder.loss.terms[0].name,
      meanScore: mean(scores),
      ...(items.skipped ? { skipped: items.skipped } : {}),
      ...(items.labels && items.classes ? { labels: labelCounts(items.classes, items.labels) } : {}),
      ...(scored.normal !== undefined ? { normal: scored.normal } : {}),
      ...(options.anomaly !== undefined ? { anomaly: options.anomaly } : {}),
      ...(metrics ? { metrics, chanceAveragePrecision: metrics.anomalies / metrics.items } : {}),
      ...(baselines ? { baselines } : {}),
      worst: Array.from(worst, (i) => ({ item: items!.ids[i], score: scores[i], ...(items!.labels && items!.classes ? { label: items!.classes[items!.labels[i]] } : {}) })),
    };
    files.push(join(outDir, 'score-metrics.json'));
    await writeFileAtomic(files.at(-1)!, JSON.stringify(summary, null, 2) + '\n');

    log(`scored ${scores.length} items of ${items.source} with ${backend}: mean score ${summary.meanScore.toPrecision(4)} (${scoreMeasure(autoencoder)})`);
    if (metrics) {
      const f = metrics.bestF1;
      log(
        `${metrics.anomalies} anomalous of ${metrics.items}: ROC AUC ${metrics.rocAuc.toFixed(4)}, PR AUC ${metrics.averagePrecision.toFixed(4)} ` +
          `(chance ${(metrics.anomalies / metrics.items).toFixed(4)}), best F1 ${f.f1.toFixed(4)} at score >= ${f.threshold.toPrecision(4)} (precision ${f.precision.toFixed(4)}, recall ${f.recall.toFixed(4)})`,
      );
      if (baselines) log(describeScoreBaselines(metrics.rocAuc, baselines));
    } else if (anomalous) {
      log('every item has the same anomaly label, so ROC AUC and PR AUC are undefined');
    }
    log(`wrote ${files.join(', ')}`);
    const skipped = skippedPicturesNote(pictures);
    if (skipped) log(skipped);
    return { scores, anomalous, metrics, outDir, files };
  } finally {
    autoencoder.dispose();
    await items?.close?.();
  }
}

/**
 * What a score is, for the line that prints it: always the mean squared
 * reconstruction error, which is not the loss a model trained on binary
 * cross-entropy reports in `ae train` and `ae eval`; the line says which.
 */
function scoreMeasure(autoencoder: Autoencoder): string {
  const trainedOn = autoencoder.loss.terms[0].name;
  return `mse: mean squared reconstruction error per item; ${trainedOn === 'mse' ? 'the loss the model trained on' : `the model trained on ${trainedOn}, which ae eval reports`}`;
}

/** The items to score, as {@link loadItems} reads them. */
type LoadedItems = Omit<ScoredItems, 'scores' | 'anomalous' | 'normal'> & { close?(): Promise<void> };

/**
 * The items to score, with an id each (a file, a table line, an index) and
 * labels named where the data has them: every item of the data given, read
 * with the model's preprocessing; without data, the run's own test split.
 */
async function loadItems(
  dataPath: string | undefined,
  run: RunDataSettings,
  preprocessing: Preprocessing | undefined,
  options: ScoreOptions,
  log: (line: string) => void,
): Promise<LoadedItems> {
  const skipBad = options.skipBad ?? run.skipBad;
  if (dataPath) {
    if (!preprocessing) throw new ConfigError('data', `the model in this run keeps no preprocessing (its examples are [${run.dataset ?? 'unknown'}] data, not images or a table), so it cannot read ${dataPath}`);
    const progress = dataProgress();
    const items = await preprocessors
      .read([resolve(dataPath)], preprocessing, { limit: options.limit, skipBad, cacheDir: options.cacheDir, onProgress: progress.onProgress })
      .finally(progress.stop);
    if (items.skipped) log(`skipped ${items.skipped} item${items.skipped > 1 ? 's' : ''} (the first: ${items.firstSkipped})`);
    return { ...items, labels: labelsOf(items.data) };
  }
  const loaded = await loadRunData(run, { testLimit: options.limit, preprocessing, skipBad, cacheDir: options.cacheDir });
  const data = loaded.test;
  const labels = labelsOf(data);
  const classes = loaded.classes ?? (labels ? Array.from({ length: labels.reduce((a, b) => Math.max(a, b), 0) + 1 }, (_, i) => String(i)) : undefined);
  const ids = loaded.testIds ?? Array.from({ length: data.size }, (_, i) => String(i));
  for (const line of loaded.warnings?.filter((w) => w.startsWith('skipped')) ?? []) log(line);
  // A table's ids say what they count (`line 12`, `record 12` of a JSON array, `row 12` of Parquet): the column is named by it.
  const idHeader = !loaded.testIds ? 'index' : preprocessing?.kind === 'table' ? (ids[0]?.split(' ')[0] ?? 'line') : 'file';
  return { source: `${loaded.source} (test set)`, data, ids, idHeader, labels, classes, close: loaded.close };
}

function labelsOf(data: Dataset): Int32Array | undefined {
  return data.labels && data.size > 0 ? data.labels(range(0, data.size)) : undefined;
}

/**
 * Which items are anomalous: those whose label is not `normal`; without
 * `--normal`, for a boolean label only (`true`/`false`, or 0/1 in a
 * table: the true and 1 items). Two other values are refused, naming
 * them, because the direction of an anomaly label is never guessed; more
 * than two without `--normal` give no metrics, with a line saying so.
 */
function anomalyFlags(classes: string[], labels: Int32Array, named: Pick<ScoreOptions, 'normal' | 'anomaly'>, table: boolean, log: (line: string) => void): Uint8Array | undefined {
  const present = [...new Set(labels)].map((c) => classes[c]).sort();
  for (const field of ['normal', 'anomaly'] as const) {
    const value = named[field];
    if (value === undefined) continue;
    if (!present.includes(value)) throw new ConfigError(field, `'${value}' is no label value of these items; they are ${present.join(', ')}`);
    return Uint8Array.from(labels, (c) => ((classes[c] === value) === (field === 'anomaly') ? 1 : 0));
  }
  if (present.length === 1) return undefined;
  const booleans = BOOLEAN_LABELS.filter(([no]) => table || no === 'false');
  const boolean = booleans.find((pair) => present.every((v) => (pair as readonly string[]).includes(v.toLowerCase())));
  if (boolean) return Uint8Array.from(labels, (c) => (classes[c].toLowerCase() === boolean[1] ? 1 : 0));
  const listed = `${present.slice(0, 8).map((v) => `'${v}'`).join(', ')}${present.length > 8 ? ', …' : ''}`;
  if (present.length === 2) {
    throw new ConfigError('normal', `the labels have two values, ${listed}; say which one is normal with --normal <value> (the direction of an anomaly label is never guessed)`);
  }
  log(`the labels have ${present.length} values (${listed}); pass --normal <value> to compute ROC AUC, PR AUC and F1`);
  return undefined;
}

/** The label value of the normal items, where the flags came from one. */
function normalValue(items: LoadedItems, anomalous: Uint8Array | undefined): string | undefined {
  if (!anomalous || !items.labels || !items.classes) return undefined;
  const i = anomalous.indexOf(0);
  return i < 0 ? undefined : items.classes[items.labels[i]];
}

/** How many items carry each label value, by name. */
function labelCounts(classes: string[], labels: Int32Array): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const c of labels) counts[classes[c]] = (counts[classes[c]] ?? 0) + 1;
  return counts;
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
