import type { Autoencoder } from '../autoencoder.js';
import type { Dataset } from '../dataset.js';
import type { TrainingResult } from './events.js';
import { resolveFitOptions, type FitOptions } from './fit-options.js';
import { startParallelGradients } from './parallel-gradients.js';
import { TrainingRun } from './training-run.js';

export type { FitOptions } from './fit-options.js';

/**
 * Trains an autoencoder with aekit's own loop (not `model.fit`), so that any
 * composition of loss terms trains: for each batch it runs the family's
 * forward pass, sums the loss terms, checks that the loss is finite and only
 * then applies the gradients. The loop's steps (batches, abort, checkpoints,
 * early stopping, best-weight restore) are those of its internal `TrainingRun`.
 *
 * @example
 * ```ts
 * import { ArrayDataset, fit, registry, useBackend } from '@aekit/core';
 * import { plugin as dense } from '@aekit/models-dense';
 *
 * await useBackend('wasm');
 * registry.use(dense);
 * // 512 rows of 8 values in [0, 1]; any Dataset works (MNIST, an image folder, a table)
 * const rows = new ArrayDataset(Float32Array.from({ length: 512 * 8 }, Math.random), [8]);
 * const ae = registry.create('dense', { latentDim: 2 }, { seed: 0, dataShape: rows.exampleShape });
 * const result = await fit(ae, rows.reshape(ae.inputShape), { epochs: 5, batchSize: 64, validationSplit: 0.1 });
 * console.log(result.history.at(-1));
 * ```
 * @param autoencoder - The model to train (its weights are updated in place).
 * @param data - Training data in the model's input shape.
 * @param options - Epochs, batch size, seed, optimizer, validation, noise, callbacks, checkpoints, worker threads.
 * @returns The per-epoch history, throughput and why training stopped.
 * @throws ConfigError for an invalid option, naming it.
 * @throws NonFiniteLossError when the loss becomes NaN or infinite; the
 *   weights are those after the last finite step.
 */
export async function fit(autoencoder: Autoencoder, data: Dataset, options: FitOptions = {}): Promise<TrainingResult> {
  const settings = resolveFitOptions(options);
  // Several threads come from @aekit/core/node (Node's worker threads), which registers them.
  const workers = settings.workers > 1 ? await startParallelGradients(autoencoder, settings.workers, settings.registry) : undefined;
  try {
    return await new TrainingRun(autoencoder, data, settings, workers).run();
  } finally {
    await workers?.close();
  }
}

