import { join } from 'node:path';
import { diagnoseRun, evaluate, sizeOfShape, type Autoencoder, type Dataset, type ModelFamily, type Preprocessing, type RunWarning, type TrainingPlan, type TrainingResult } from '@aekit/core';
import { saveAutoencoder, type AnomalyThreshold } from '@aekit/core/node';
import { writeBaselineFile } from '../baselines/baseline-file.js';
import { describeBaselines, measureRunBaselines, reconstructionTerm, type RunBaselines } from '../baselines/run-baselines.js';
import { importDataTables, loadFigures, skippedPicturesNote } from '../optional-packages.js';
import { writeCodeSpace, writeLossCurve, writeReconstructions, writeTableReconstructions } from '../pictures.js';
import { RUN_FILES, writeMetrics, type RunMetrics } from '../run-directory.js';
import { seriesRecord, type SeriesRunData } from '../series/series-data.js';
import { writeSeriesReconstruction } from '../series/series-pictures.js';
import type { RunSettings } from './run-settings.js';

/** What {@link writeResults} needs. */
export interface ResultInputs {
  settings: RunSettings;
  family: ModelFamily;
  autoencoder: Autoencoder;
  runDir: string;
  /** The training data before the validation split, in the model's input shape (the baselines are fitted to the trainer's share of it). */
  train: Dataset;
  test: Dataset;
  dataShape: readonly number[];
  backend: string;
  source: string;
  /** The dataset's name, or what `--data` was (`image-folder`, `idx`, `table`). */
  dataName: string;
  /** How a raw item became an example (an image's size and background, a table's columns and scaler); saved with the model. */
  preprocessing?: Preprocessing;
  validationSamples: number;
  trainSize: number;
  /** Name of each class (sub-folders of an image folder, a table's label values), for the legends of `codes.png` and the family's pictures. */
  classes?: string[];
  /** Files skipped with `--skip-bad`, where the data counts them. */
  skipped?: number;
  result: TrainingResult;
  /** How the run's length was chosen (absent for a resumed run). */
  plan?: TrainingPlan;
  log: (line: string) => void;
  /** A series run: its data and the anomaly threshold chosen on its validation part. */
  series?: { data: SeriesRunData; threshold: AnomalyThreshold };
}

/**
 * Step 6 of `ae train`: saves the model, evaluates it on the test set
 * beside its baselines (the training mean, and PCA with as many components
 * as the code has values, see `baselines/`), draws the pictures (in colour
 * for colour images, as heat maps of rows for tables, with class names
 * where the data has them; the baselines in `loss.png`), warns of a model
 * that learned nothing useful, and writes `metrics.json`.
 */
export async function writeResults(r: ResultInputs): Promise<RunMetrics> {
  const { settings, family, autoencoder, runDir, backend, result, log, test } = r;
  const series = r.series;
  await saveAutoencoder(autoencoder, join(runDir, RUN_FILES.model), r.dataShape, { preprocessing: r.preprocessing, threshold: series?.threshold });
  // What follows training can take minutes on large images (a PCA as wide as the code, a map of the codes): say what runs.
  const items = r.preprocessing?.kind === 'table' ? 'rows' : series ? 'windows' : 'examples';
  log(`evaluating on ${test.size} test ${items}, beside the training mean and PCA fitted to the training ${items}`);
  const evaluation = await evaluate(autoencoder, test, { batchSize: settings.batchSize, noise: settings.noise, seed: settings.seed });
  // A series' validation windows are the reader's own part, not a share of the training windows.
  const baselines = await measureRunBaselines(autoencoder, r.train, test, series ? { ...settings, validationSplit: 0 } : settings);
  if (baselines) await writeBaselineFile(runDir, baselines.fitted);
  const warnings: RunWarning[] = r.plan?.warning ? [r.plan.warning] : [];
  const pictures = await loadFigures();
  const figures = pictures.writerFor(runDir);
  if (pictures.draws) log(`drawing the pictures of ${runDir}`);
  const title = `${settings.family}${settings.noise || test.inputs ? ' (denoising)' : ''}`;
  const table = r.preprocessing?.kind === 'table' ? r.preprocessing : undefined;
  if (series) {
    await writeSeriesReconstruction(figures, autoencoder, series.data.test, title);
  } else if (table) {
    const { featureNames } = await importDataTables();
    await writeTableReconstructions(figures, { autoencoder, test, features: featureNames(table.columns), title: `${title}: test rows` });
  } else {
    await writeReconstructions(figures, {
      autoencoder,
      test,
      imageShape: pictureShape(r.dataShape),
      codeShape: family.codeImageShape?.(autoencoder),
      noise: settings.noise,
      seed: settings.seed,
      title: `${title}: test examples`,
    });
  }
  if (result.history.length > 0) await writeLossCurve(figures, result.history, `${title}: loss per epoch`, baselines?.losses);
  await writeCodeSpace(figures, autoencoder, test, {
    points: settings.codePoints,
    seed: settings.seed,
    title,
    items: table ? 'rows' : series ? 'windows' : 'images',
    classes: r.classes,
  });
  const warn = (warning: RunWarning) => void warnings.push(warning);
  const extra = (await family.report?.({ autoencoder, test, classes: r.classes, noise: settings.noise, seed: settings.seed, figures, log, warn })) ?? {};
  const reconstruction = reconstructionTerm(autoencoder, evaluation);
  warnings.push(
    ...diagnoseRun({
      testReconstruction: reconstruction,
      baselines: baselines?.losses,
      codeSize: sizeOfShape(autoencoder.latentShape),
      inputSize: sizeOfShape(autoencoder.inputShape),
      history: result.history,
    }),
  );

  const metrics: RunMetrics = {
    family: settings.family,
    config: { ...autoencoder.config },
    backend,
    epochs: result.history.length,
    // Epochs counted from 1 in the file, as the log prints them (the trainer counts from 0).
    history: result.history.map((record) => ({ ...record, epoch: record.epoch + 1 })),
    testLoss: evaluation.loss,
    testTerms: evaluation.terms,
    seconds: result.seconds,
    samplesPerSecond: result.samplesPerSecond,
    batchSize: settings.batchSize,
    workers: settings.workers ?? 1,
    seed: settings.seed,
    noise: settings.noise ?? null,
    trainingSamples: r.trainSize - r.validationSamples,
    validationSamples: r.validationSamples,
    testSamples: test.size,
    stopReason: result.stopReason,
    bestEpoch: result.bestEpoch + 1,
    restoredBestWeights: result.restoredBestWeights,
    ...(r.plan ? { plan: planSummary(r.plan) } : {}),
    ...(baselines ? { baselines: baselineSummary(baselines, reconstruction) } : {}),
    warnings,
    dataset: r.dataName,
    data: r.source,
    dataShape: [...r.dataShape],
    ...(settings.splitSeed !== undefined ? { splitSeed: settings.splitSeed } : {}),
    ...(settings.testSplit !== undefined ? { testSplit: settings.testSplit } : {}),
    ...(settings.skipBad ? { skipBad: true } : {}),
    ...(settings.cacheDir !== undefined ? { cacheDir: settings.cacheDir } : {}),
    ...(settings.trainWhere ? { trainWhere: settings.trainWhere } : {}),
    ...(r.skipped !== undefined ? { skippedFiles: r.skipped } : {}),
    ...(series ? { series: seriesRecord(series.data, series.threshold) } : {}),
    createdAt: new Date().toISOString(),
    ...extra,
  };
  await writeMetrics(runDir, metrics);
  const note = skippedPicturesNote(pictures);
  if (note) log(note);
  const terms = Object.entries(evaluation.terms).map(([k, v]) => `${k} ${v.toPrecision(4)}`).join(', ');
  log(`test loss ${evaluation.loss.toPrecision(4)} (${terms}) on ${test.size} ${series ? 'windows' : 'examples'}${baselines ? `; ${describeBaselines(baselines)}` : ''}`);
  if (series) {
    const t = series.threshold;
    log(`anomaly threshold ${t.value.toPrecision(4)}: the ${t.percentile}th percentile of the scores of ${t.chosenOn}; ae score ${runDir} <series file> flags the points above it`);
  }
  if (result.restoredBestWeights) log(`kept the weights of epoch ${result.bestEpoch + 1}, the best on the validation data, of ${result.history.length}`);
  // The plan's warning was printed when training began.
  for (const warning of warnings) if (warning !== r.plan?.warning) log(`warning: ${warning.message}`);
  log(`${Math.round(result.samplesPerSecond)} samples/s over ${result.seconds.toFixed(1)} s of training; wrote ${runDir}`);
  return metrics;
}

/** The plan's fields for `metrics.json`. */
function planSummary(plan: TrainingPlan): Record<string, unknown> {
  const { warning: _warning, ...fields } = plan;
  return fields;
}

/** The baselines' fields for `metrics.json`: the term compared, the model's value of it and each baseline's. */
function baselineSummary(baselines: RunBaselines, model: number): Record<string, unknown> {
  const { term, mean, pca } = baselines.losses;
  return { term, model, mean, ...(pca ? { pca } : {}), ...(baselines.pcaSkipped ? { pcaSkipped: baselines.pcaSkipped } : {}) };
}

/** Height, width and channels of one example as a picture: `[h, w, c]` images as they are, `[h, w]` and flat data as grey. */
export function pictureShape(dataShape: readonly number[]): readonly [number, number, number] {
  if (dataShape.length === 3 && (dataShape[2] === 1 || dataShape[2] === 3)) return [dataShape[0], dataShape[1], dataShape[2]];
  return [dataShape[0], dataShape.length > 1 ? dataShape[1] : 1, 1];
}
