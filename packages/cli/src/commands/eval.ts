import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { DataFileError, evaluate, useBackend, type Evaluation, type NoiseSpec } from '@aekit/core';
import { loadAutoencoder, writeFileAtomic } from '@aekit/core/node';
import { BUILT_IN_DATASET, loadDataset } from '../datasets.js';
import { imageOptionsFor, isDataSourceName, loadDataSource } from '../data-source.js';
import { RUN_FILES } from '../run-directory.js';

/** Options of `ae eval`. */
export interface EvalOptions {
  backend?: string;
  data?: string;
  testLimit?: number;
  batchSize?: number;
}

/**
 * `ae eval <run-dir>`: loads the model of a run, computes its loss on the
 * test set (with the run's noise for denoisers) and writes `eval.json`.
 *
 * @param runDir - A run directory written by `ae train`.
 * @param options - Backend, data directory and test limit.
 * @param log - Where result lines go.
 */
export async function evalCommand(runDir: string, options: EvalOptions, log: (line: string) => void): Promise<Evaluation> {
  const dir = resolve(runDir);
  const metricsFile = join(dir, RUN_FILES.metrics);
  let run: { noise?: NoiseSpec | null; seed?: number; data?: string; dataset?: string; dataShape?: number[] } = {};
  try {
    run = JSON.parse(await readFile(metricsFile, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT') throw new DataFileError(metricsFile, 'is not valid JSON (truncated or corrupt)');
  }
  const backend = await useBackend(options.backend);
  const autoencoder = await loadAutoencoder(join(dir, RUN_FILES.model));
  const datasetName = run.dataset ?? BUILT_IN_DATASET;
  // A run trained with --data reads the same path (same seed, same split; images at the size it was trained on).
  const { test } = isDataSourceName(datasetName)
    ? await loadDataSource(options.data ?? run.data ?? '', {
        testLimit: options.testLimit,
        seed: run.seed ?? 0,
        ...(datasetName === 'image-folder' ? imageOptionsFor(run.dataShape ?? autoencoder.inputShape) : {}),
      })
    : await loadDataset(datasetName, {
        dir: options.data ?? (datasetName === BUILT_IN_DATASET ? run.data : undefined),
        testLimit: options.testLimit,
        seed: run.seed ?? 0,
      });
  const data = test.reshape(autoencoder.inputShape);
  const result = await evaluate(autoencoder, data, {
    batchSize: options.batchSize ?? 256,
    noise: run.noise ?? undefined,
    seed: run.seed ?? 0,
  });
  const terms = Object.entries(result.terms).map(([k, v]) => `${k} ${v.toPrecision(4)}`).join(', ');
  log(`${autoencoder.family}: test loss ${result.loss.toPrecision(4)} (${terms}) on ${result.samples} images with ${backend}`);
  await writeFileAtomic(join(dir, 'eval.json'), JSON.stringify({ ...result, backend, family: autoencoder.family }, null, 2) + '\n');
  autoencoder.dispose();
  return result;
}
