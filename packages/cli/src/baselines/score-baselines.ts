import { IsolationForest } from 'ml-isolation-forest';
import { anomalyMetrics, baselineScores, createRng, range, sizeOfShape, withSeededMathRandom, type AnomalyMetrics, type Dataset, type Preprocessing } from '@aekit/core';
import { loadRunData } from '../data-source.js';
import type { RunDataSettings } from '../run-directory.js';
import { readBaselineFile } from './baseline-file.js';

/** Trees of the isolation forest baseline (the original paper's 100). */
const FOREST_TREES = 100;
/** Training rows the forest is grown on at most, drawn at random (seeded): the trees grow on every row given. */
const FOREST_ROWS = 2048;

/** The anomaly figures of a baseline: those of {@link AnomalyMetrics} without the counts. */
export type BaselineMetrics = Pick<AnomalyMetrics, 'rocAuc' | 'averagePrecision' | 'bestF1'>;

/** How the baselines detect the same anomalies as the autoencoder in `ae score`. */
export interface ScoreBaselines {
  /** Squared distance of each item to the training mean. */
  distanceToMean?: BaselineMetrics;
  /** PCA reconstruction error with as many components as the model's code has values. */
  pca?: BaselineMetrics & { components: number };
  /** An isolation forest grown on the run's training rows (tables only). */
  isolationForest?: BaselineMetrics & { trees: number; rows: number };
  /** Why a baseline is missing. */
  notes: string[];
}

/** What {@link scoreBaselines} needs of the run. */
export interface ScoreBaselineRun {
  /** The run directory (its `baselines.json`). */
  dir: string;
  /** What the run's `metrics.json` says about its data (file, seeds, split), to read its training rows again. */
  data: RunDataSettings;
  seed: number;
  /** The model's saved preprocessing (a table run's columns and scaler). */
  preprocessing?: Preprocessing;
  /** Whether to skip bad rows (the run's own setting unless `ae score` says). */
  skipBad?: boolean;
}

/**
 * Scores the same items as `ae score` with the baselines an autoencoder's
 * anomaly score has to beat, and computes their ROC AUC, PR AUC and best F1
 * against the same labels: the squared distance to the training mean and
 * the PCA reconstruction error (both from the run's `baselines.json`,
 * fitted to its training examples), and for tables an isolation forest
 * (`ml-isolation-forest`) grown on the run's training rows.
 *
 * @param run - The run directory, data, seed and table preprocessing.
 * @param items - The scored items, in any shape with the run's number of values.
 * @param anomalous - 1 for each anomalous item, 0 for each normal one.
 */
export async function scoreBaselines(run: ScoreBaselineRun, items: Dataset, anomalous: Uint8Array): Promise<ScoreBaselines> {
  const notes: string[] = [];
  const result: ScoreBaselines = { notes };
  const fitted = await readBaselineFile(run.dir);
  if (!fitted) notes.push('the run has no baselines.json (trained before aekit kept its baselines): no distance-to-mean or PCA baseline');
  else if (fitted.features !== sizeOfShape(items.exampleShape)) notes.push(`baselines.json has ${fitted.features} values an item, the items ${sizeOfShape(items.exampleShape)}`);
  else {
    const scores = await baselineScores(items, fitted);
    result.distanceToMean = figures(anomalyMetrics(scores.distanceToMean, anomalous));
    if (scores.pcaError) result.pca = { components: fitted.size, ...figures(anomalyMetrics(scores.pcaError, anomalous)) };
  }
  if (run.preprocessing?.kind === 'table') {
    const training = await tableTrainingRows(run);
    const sample = sampleRows(training, FOREST_ROWS, run.seed);
    const forest = withSeededMathRandom(run.seed, () => {
      const model = new IsolationForest({ nEstimators: FOREST_TREES });
      model.train(sample);
      return model.predict(rowsOf(items));
    });
    result.isolationForest = { trees: FOREST_TREES, rows: sample.length, ...figures(anomalyMetrics(forest, anomalous)) };
  } else {
    notes.push('no isolation forest: it is grown on table runs only');
  }
  return result;
}

/**
 * One line for the log: each baseline's ROC AUC beside the model's, and
 * plainly when the model does not beat the best of them.
 *
 * @param model - The autoencoder's ROC AUC.
 * @param baselines - The baselines' figures.
 */
export function describeScoreBaselines(model: number, baselines: ScoreBaselines): string {
  const named: [string, number][] = [];
  if (baselines.distanceToMean) named.push(['distance to the training mean', baselines.distanceToMean.rocAuc]);
  if (baselines.pca) named.push([`PCA error (${baselines.pca.components} components)`, baselines.pca.rocAuc]);
  if (baselines.isolationForest) named.push(['isolation forest', baselines.isolationForest.rocAuc]);
  if (named.length === 0) return `no baselines: ${baselines.notes.join('; ')}`;
  const line = `baselines' ROC AUC: ${named.map(([name, auc]) => `${name} ${auc.toFixed(4)}`).join(', ')}`;
  // Every baseline the model does not beat, best first.
  const unbeaten = named.filter(([, auc]) => !(model > auc)).sort((a, b) => b[1] - a[1]);
  if (unbeaten.length === 0) return line;
  const names = unbeaten.map(([name, auc]) => `${name} (${auc.toFixed(4)})`);
  return `${line}; the autoencoder (${model.toFixed(4)}) does no better than ${names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names.at(-1)}` : names[0]}`;
}

function figures(metrics: AnomalyMetrics): BaselineMetrics {
  return { rocAuc: metrics.rocAuc, averagePrecision: metrics.averagePrecision, bestF1: metrics.bestF1 };
}

/**
 * The training rows of a table run, read again with its saved
 * preprocessing, seeds and share (the same split as training; rows a
 * `--train-where` filter left out of training are among them).
 */
async function tableTrainingRows(run: ScoreBaselineRun): Promise<number[][]> {
  const loaded = await loadRunData(run.data, { preprocessing: run.preprocessing, skipBad: run.skipBad });
  try {
    return rowsOf(loaded.train);
  } finally {
    await loaded.close?.();
  }
}

function rowsOf(data: Dataset): number[][] {
  const d = sizeOfShape(data.exampleShape);
  const rows: number[][] = [];
  for (let start = 0; start < data.size; start += 1024) {
    const x = data.batch(range(start, Math.min(start + 1024, data.size)));
    const values = x.dataSync();
    x.dispose();
    for (let i = 0; i * d < values.length; i++) rows.push(Array.from(values.subarray(i * d, (i + 1) * d)));
  }
  return rows;
}

function sampleRows(rows: number[][], n: number, seed: number): number[][] {
  if (rows.length <= n) return rows;
  const rng = createRng(seed);
  const picked = rows.map((row) => ({ row, key: rng() })).sort((a, b) => a.key - b.key);
  return picked.slice(0, n).map((p) => p.row);
}
