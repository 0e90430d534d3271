import { join } from 'node:path';
import { evaluate, type Autoencoder, type Dataset, type ModelFamily, type Preprocessing, type TrainingResult } from '@aekit/core';
import { saveAutoencoder } from '@aekit/core/node';
import { importDataTables, loadFigures, skippedPicturesNote } from '../optional-packages.js';
import { writeCodeSpace, writeLossCurve, writeReconstructions, writeTableReconstructions } from '../pictures.js';
import { RUN_FILES, writeMetrics, type RunMetrics } from '../run-directory.js';
import type { RunSettings } from './run-settings.js';

/** What {@link writeResults} needs. */
export interface ResultInputs {
  settings: RunSettings;
  family: ModelFamily;
  autoencoder: Autoencoder;
  runDir: string;
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
  log: (line: string) => void;
}

/**
 * Step 6 of `ae train`: saves the model, evaluates it on the test set,
 * draws the pictures (in colour for colour images, as heat maps of rows for
 * tables, with class names where the data has them) and writes `metrics.json`.
 */
export async function writeResults(r: ResultInputs): Promise<RunMetrics> {
  const { settings, family, autoencoder, runDir, backend, result, log, test } = r;
  await saveAutoencoder(autoencoder, join(runDir, RUN_FILES.model), r.dataShape, { preprocessing: r.preprocessing });
  const evaluation = await evaluate(autoencoder, test, { batchSize: settings.batchSize, noise: settings.noise, seed: settings.seed });
  const pictures = await loadFigures();
  const figures = pictures.writerFor(runDir);
  const title = `${settings.family}${settings.noise || test.inputs ? ' (denoising)' : ''}`;
  const table = r.preprocessing?.kind === 'table' ? r.preprocessing : undefined;
  if (table) {
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
  if (result.history.length > 0) await writeLossCurve(figures, result.history, `${title}: loss per epoch`);
  await writeCodeSpace(figures, autoencoder, test, {
    points: settings.codePoints,
    seed: settings.seed,
    title,
    items: table ? 'rows' : 'images',
    classes: r.classes,
  });
  const extra = (await family.report?.({ autoencoder, test, classes: r.classes, noise: settings.noise, seed: settings.seed, figures, log })) ?? {};

  const metrics: RunMetrics = {
    family: settings.family,
    config: { ...autoencoder.config },
    backend,
    epochs: result.history.length,
    history: result.history,
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
    dataset: r.dataName,
    data: r.source,
    dataShape: [...r.dataShape],
    ...(settings.splitSeed !== undefined ? { splitSeed: settings.splitSeed } : {}),
    ...(settings.testSplit !== undefined ? { testSplit: settings.testSplit } : {}),
    ...(settings.skipBad ? { skipBad: true } : {}),
    ...(settings.cacheDir !== undefined ? { cacheDir: settings.cacheDir } : {}),
    ...(r.skipped !== undefined ? { skippedFiles: r.skipped } : {}),
    createdAt: new Date().toISOString(),
    ...extra,
  };
  await writeMetrics(runDir, metrics);
  const note = skippedPicturesNote(pictures);
  if (note) log(note);
  const terms = Object.entries(evaluation.terms).map(([k, v]) => `${k} ${v.toPrecision(4)}`).join(', ');
  log(`test loss ${evaluation.loss.toPrecision(4)} (${terms}) on ${test.size} examples`);
  log(`${Math.round(result.samplesPerSecond)} samples/s over ${result.seconds.toFixed(1)} s of training; wrote ${runDir}`);
  return metrics;
}

/** Height, width and channels of one example as a picture: `[h, w, c]` images as they are, `[h, w]` and flat data as grey. */
export function pictureShape(dataShape: readonly number[]): readonly [number, number, number] {
  if (dataShape.length === 3 && (dataShape[2] === 1 || dataShape[2] === 3)) return [dataShape[0], dataShape[1], dataShape[2]];
  return [dataShape[0], dataShape.length > 1 ? dataShape[1] : 1, 1];
}
