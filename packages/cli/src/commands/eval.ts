import { join, resolve } from 'node:path';
import { commandOptions, compareWithBaselines, evaluate, evaluateBaselines, integerIn, option, useBackend, z, type BaselineLosses, type Evaluation, type OptionInput } from '@aekit/core';
import { loadAutoencoder, readModelMetadata, writeFileAtomic } from '@aekit/core/node';
import { loadRunData } from '../data-source.js';
import { backendOption } from '../options/shared-options.js';
import { seriesTestData } from '../series/series-data.js';
import { readRunMetrics, RUN_FILES } from '../run-directory.js';
import { readBaselineFile } from '../baselines/baseline-file.js';
import { describeBaselineLosses, reconstructionTerm } from '../baselines/run-baselines.js';

/** The options of `ae eval`, declared once (flags, help, checks and the option table derive from it). */
export const evalOptions = commandOptions({
  backend: backendOption(),
  data: option(z.string().min(1), { value: 'path', help: 'data to evaluate on: a folder of idx files or images, or a table (default: the data the run used)' }),
  testLimit: option(integerIn({ min: 1 }), { value: 'n', help: 'use only the first N test images' }),
  skipBad: option(z.boolean(), { help: 'skip and count bad table rows or image files instead of stopping at the first (default: as the run did)' }),
  cacheDir: option(z.string().min(1), { value: 'dir', help: 'decode an image folder into a cache in this folder, kept for reuse (default: as the run did)' }),
});

/** Options of `ae eval`: those it declares ({@link evalOptions}), and the examples per forward pass. */
export type EvalOptions = OptionInput<typeof evalOptions.shape> & {
  /** Examples per forward pass; 256 unless given. */
  batchSize?: number;
};

/**
 * `ae eval <run-dir>`: loads the model of a run, computes its loss on the
 * test set (with the run's noise for denoisers), and beside it the losses of
 * the run's baselines (its training mean and PCA, from `baselines.json`) on
 * the same data, with `ae train`'s warning when the model does no better
 * than one of them, and writes `eval.json`.
 *
 * @example
 * ```ts
 * import { registry } from '@aekit/core';
 * import { evalCommand } from '@aekit/cli';
 * import { plugin as dense } from '@aekit/models-dense';
 *
 * registry.use(dense); // the family of the run's model
 * const { loss, samples } = await evalCommand('runs/dense', { testLimit: 1000 }, console.log);
 * console.log(loss, samples); // the test loss, 1000
 * ```
 * @param runDir - A run directory written by `ae train`.
 * @param options - Backend, data, test limit, bad-item policy and image cache folder.
 * @param log - Where result lines go.
 */
export async function evalCommand(runDir: string, options: EvalOptions, log: (line: string) => void): Promise<Evaluation & { baselines?: BaselineLosses }> {
  const dir = resolve(runDir);
  const run = await readRunMetrics(dir);
  const backend = await useBackend(options.backend);
  // The saved preprocessing (an image's size and background, a table's columns, fill values and scaler) is applied again, never refitted.
  const { preprocessing } = await readModelMetadata(join(dir, RUN_FILES.model));
  const autoencoder = await loadAutoencoder(join(dir, RUN_FILES.model));
  try {
    // The run's fitted mean and PCA, scored on the same examples by the same term: a loss means nothing alone.
    // Read before the data is opened, so that a damaged file leaves nothing open.
    const fitted = await readBaselineFile(dir);
    // A run trained with --data reads the same path (same split seed and share, same --skip-bad).
    // A series run: its test part (or every window of --data), through the series reader.
    const loaded =
      preprocessing?.kind === 'series'
        ? await seriesTestData(run, preprocessing, options.data)
        : await loadRunData(run, { data: options.data, testLimit: options.testLimit, preprocessing, skipBad: options.skipBad, cacheDir: options.cacheDir });
    const data = loaded.test.reshape(autoencoder.inputShape);
    const settings = { batchSize: options.batchSize ?? 256, noise: run.noise ?? undefined, seed: run.seed ?? 0 };
    let result: Evaluation;
    let baselines: BaselineLosses | undefined;
    try {
      result = await evaluate(autoencoder, data, settings);
      baselines = fitted && (await evaluateBaselines(autoencoder, data, fitted, settings));
    } finally {
      await loaded.close?.();
    }
    const terms = Object.entries(result.terms).map(([k, v]) => `${k} ${v.toPrecision(4)}`).join(', ');
    log(`${autoencoder.family}: test loss ${result.loss.toPrecision(4)} (${terms}) on ${result.samples} ${preprocessing?.kind === 'table' ? 'rows' : preprocessing?.kind === 'series' ? 'windows' : 'images'} with ${backend}`);
    if (baselines) {
      log(describeBaselineLosses(baselines));
      // The verdict ae train gave, on this data: a model that does not beat a baseline is said to.
      const beside = compareWithBaselines(reconstructionTerm(autoencoder, result), baselines);
      if (beside) log(`warning: ${beside.message}`);
    }
    const outcome = { ...result, ...(baselines ? { baselines } : {}) };
    await writeFileAtomic(join(dir, 'eval.json'), JSON.stringify({ ...outcome, backend, family: autoencoder.family }, null, 2) + '\n');
    return outcome;
  } finally {
    autoencoder.dispose();
  }
}
