import { evaluateBaselines, fitBaselines, sizeOfShape, validationSplitIndices, type Autoencoder, type BaselineLosses, type Dataset, type Evaluation, type Pca } from '@aekit/core';
import type { RunSettings } from '../train/run-settings.js';

/**
 * The most principal components a run fits beside its model. A wider code
 * (a convolutional one on large images) would make the PCA cost more than
 * many epochs of training; such runs report the mean baseline only.
 */
export const MAX_PCA_COMPONENTS = 512;

/** A run's baselines: their test losses, and the fitted mean and PCA (kept for `ae score`). */
export interface RunBaselines {
  losses: BaselineLosses;
  fitted: Pca;
  /** Why no PCA was fitted, when none was. */
  pcaSkipped?: string;
  /** Why the PCA has fewer components than the code has values, when it has. */
  pcaCapped?: string;
}

/**
 * Fits the baselines of an `ae train` run to exactly the examples its model
 * trained on (the trainer's own validation split), with as many principal
 * components as the code has values, and scores them on the test data by
 * the model's reconstruction term. Sequences (padded, of varying length)
 * get none.
 *
 * @param autoencoder - The trained model (its code size and loss term).
 * @param train - The run's training data, before the validation split, in the model's input shape.
 * @param test - The run's test data, in the model's input shape.
 * @param settings - The run's settings (seed, validation split, noise, batch size).
 */
export async function measureRunBaselines(autoencoder: Autoencoder, train: Dataset, test: Dataset, settings: RunSettings): Promise<RunBaselines | undefined> {
  if (train.lengths || test.size === 0) return undefined;
  const rows = settings.validationSplit > 0 ? train.subset(validationSplitIndices(train.size, settings.validationSplit, settings.seed).train) : train;
  const code = sizeOfShape(autoencoder.latentShape);
  const features = sizeOfShape(train.exampleShape);
  const pcaSkipped =
    code >= features
      ? `the code (${code} values) is as large as the input (${features}), which PCA reconstructs exactly`
      : code > MAX_PCA_COMPONENTS
        ? `the code has ${code} values; PCA baselines stop at ${MAX_PCA_COMPONENTS} components`
        : undefined;
  const fitted = await fitBaselines(rows, { components: pcaSkipped ? 0 : code, seed: settings.seed });
  const losses = await evaluateBaselines(autoencoder, test, fitted, { noise: settings.noise, seed: settings.seed, batchSize: settings.batchSize });
  // PCA has at most as many components as it has training examples.
  const pcaCapped = losses.pca && losses.pca.components < code ? `as many as there are training examples, ${rows.size}; the code has ${code} values` : undefined;
  return { losses, fitted, ...(pcaSkipped ? { pcaSkipped } : {}), ...(pcaCapped ? { pcaCapped } : {}) };
}

/**
 * The baselines for the log, e.g. `baselines: training mean 0.2607, PCA (32 components) 0.1123 (bce)`.
 *
 * @param baselines - A run's baselines.
 */
export function describeBaselines(baselines: RunBaselines): string {
  return describeBaselineLosses(baselines.losses, baselines.pcaCapped);
}

/**
 * Baseline losses for the log, e.g. `baselines (bce): training mean 0.2607, PCA with 32 components 0.1123`.
 *
 * @param losses - The baselines' losses on some data.
 * @param note - Said after the PCA figure (why it has fewer components than the code has values).
 */
export function describeBaselineLosses(losses: BaselineLosses, note?: string): string {
  const { term, mean, pca } = losses;
  return `baselines (${term}): training mean ${mean.toPrecision(4)}${pca ? `, PCA with ${pca.components} components ${pca.loss.toPrecision(4)}${note ? ` (${note})` : ''}` : ''}`;
}

/**
 * The autoencoder's reconstruction term (the first of its loss) in an
 * evaluation: the figure its baselines are compared with, by `ae train`
 * and `ae eval` alike.
 *
 * @param autoencoder - The model evaluated.
 * @param evaluation - Its evaluation on the test data.
 */
export function reconstructionTerm(autoencoder: Autoencoder, evaluation: Evaluation): number {
  return evaluation.terms[autoencoder.loss.terms[0].name] ?? evaluation.loss;
}
