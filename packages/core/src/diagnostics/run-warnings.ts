import type { BaselineLosses } from '../baselines/reconstruction-baselines.js';
import type { EpochRecord } from '../trainer/events.js';

/** What a run warning is about; see {@link diagnoseRun}. */
export type RunWarningCode =
  | 'no-better-than-mean'
  | 'no-better-than-pca'
  | 'identity-code'
  | 'flat-loss'
  | 'posterior-collapse'
  | 'too-few-steps';

/** A one-line warning about a run, for the log and `metrics.json`. */
export interface RunWarning {
  code: RunWarningCode;
  /** One line that names the problem and what to try. */
  message: string;
}

/**
 * A model counts as no better than a baseline unless its loss is at least
 * this share below the baseline's: 1%, more than the spread of one seed to
 * another in the README's tables, so a tie is reported as one.
 */
export const BASELINE_MARGIN = 0.01;

/** The training loss counts as flat when it moves by less than this share over {@link FLAT_EPOCHS} epochs. */
export const FLAT_TOLERANCE = 1e-4;

/** Epochs of a flat training loss before {@link diagnoseRun} warns. */
export const FLAT_EPOCHS = 10;

/**
 * Mean KL divergence per latent dimension, in nats, below which a VAE's
 * posterior counts as collapsed: its codes then carry almost nothing about
 * the input (a 2-D MNIST VAE carries about 2.5 nats a dimension).
 */
export const COLLAPSE_KL_PER_DIMENSION = 0.01;

/** What {@link diagnoseRun} looks at. */
export interface RunFacts {
  /** The autoencoder's reconstruction term on the test data (the one the baselines are scored by). */
  testReconstruction: number;
  /** The baselines' values of that term on the same test data. */
  baselines?: BaselineLosses;
  /** Values in one code. */
  codeSize: number;
  /** Values in one input. */
  inputSize: number;
  /** The training history. */
  history: readonly EpochRecord[];
}

/**
 * The warning a model's reconstruction deserves beside its baselines: no
 * better than always answering the training mean, or else no better than PCA
 * with as many components as the code has values (each within
 * {@link BASELINE_MARGIN}); undefined when it beats both. `ae train` and
 * `ae eval` say it in the same words.
 *
 * @example
 * ```ts
 * import { compareWithBaselines } from '@aekit/core';
 *
 * compareWithBaselines(0.031, { term: 'mse', mean: 0.067, pca: { components: 8, loss: 0.03 } })?.code; // 'no-better-than-pca'
 * ```
 * @param loss - The model's reconstruction term on the test data.
 * @param baselines - The baselines' values of that term on the same data.
 */
export function compareWithBaselines(loss: number, baselines: BaselineLosses): RunWarning | undefined {
  const { term } = baselines;
  if (!(loss < baselines.mean * (1 - BASELINE_MARGIN))) {
    return {
      code: 'no-better-than-mean',
      message:
        `no better than the mean: test ${term} ${fmt(loss)} against ${fmt(baselines.mean)} for always answering the training mean; ` +
        'the model has not learned (train for more steps, or with another learning rate)',
    };
  }
  if (baselines.pca && !(loss < baselines.pca.loss * (1 - BASELINE_MARGIN))) {
    return {
      code: 'no-better-than-pca',
      message:
        `no better than PCA: test ${term} ${fmt(loss)} against ${fmt(baselines.pca.loss)} for PCA with ${baselines.pca.components} components (the code's size); ` +
        (loss > baselines.pca.loss * (1 + BASELINE_MARGIN) ? 'a linear model does better on this data' : 'a linear model does as well on this data'),
    };
  }
  return undefined;
}

/**
 * The warnings a finished run deserves: a model no better than always
 * answering the training mean, or than PCA with as many components as the
 * code has values; a code at least as large as the input, which can copy it
 * (the identity); and a training loss that did not move for
 * {@link FLAT_EPOCHS} epochs (dead units, or a step size too large or small).
 *
 * @example
 * ```ts
 * import { diagnoseRun } from '@aekit/core';
 *
 * diagnoseRun({ testReconstruction: 0.031, baselines: { term: 'mse', mean: 0.067, pca: { components: 8, loss: 0.03 } }, codeSize: 8, inputSize: 64, history: [] });
 * // [{ code: 'no-better-than-pca', message: 'no better than PCA: test mse 0.03100 against 0.03000 for PCA with 8 components …' }]
 * ```
 * @param facts - Test loss, baselines, sizes and history of the run.
 * @returns One warning a problem, none for a healthy run.
 */
export function diagnoseRun(facts: RunFacts): RunWarning[] {
  const warnings: RunWarning[] = [];
  const { testReconstruction: loss, baselines } = facts;
  const beside = baselines && compareWithBaselines(loss, baselines);
  if (beside) warnings.push(beside);
  if (facts.codeSize >= facts.inputSize) {
    warnings.push({
      code: 'identity-code',
      message: `the code has ${facts.codeSize} values for ${facts.inputSize} inputs, so it can copy its input (the identity) instead of learning structure; use a smaller latentDim (ae train's --latent-dim)`,
    });
  }
  const flat = flatEpochs(facts.history);
  if (flat >= FLAT_EPOCHS) {
    warnings.push({
      code: 'flat-loss',
      message:
        `training loss flat at ${fmt(facts.history.at(-1)!.loss)} for the last ${flat} epochs: the model stopped learning ` +
        '(dead units, or a learning rate too high or too low)',
    });
  }
  return warnings;
}

/**
 * The posterior-collapse warning of a VAE, or undefined: when the test
 * set's KL divergence averages below {@link COLLAPSE_KL_PER_DIMENSION} nats
 * a latent dimension, the decoder draws the same output whatever the input.
 *
 * @example
 * ```ts
 * import { posteriorCollapseWarning } from '@aekit/core';
 *
 * posteriorCollapseWarning([2.4, 2.6]); // undefined: the code carries about 2.5 nats a dimension
 * posteriorCollapseWarning([0.001, 0.002]); // { code: 'posterior-collapse', message: 'posterior collapse: KL 0.001500 nats per latent dimension …' }
 * ```
 * @param klPerDimension - Mean KL divergence of each latent dimension over the test data, in nats.
 */
export function posteriorCollapseWarning(klPerDimension: readonly number[]): RunWarning | undefined {
  const mean = klPerDimension.reduce((a, b) => a + b, 0) / Math.max(1, klPerDimension.length);
  if (mean >= COLLAPSE_KL_PER_DIMENSION) return undefined;
  return {
    code: 'posterior-collapse',
    message:
      `posterior collapse: KL ${fmt(mean)} nats per latent dimension (below ${COLLAPSE_KL_PER_DIMENSION}), so the code carries almost nothing ` +
      'and every output looks alike; raise freeBits or klWarmupEpochs, or lower beta',
  };
}

/**
 * How many of the last epochs had a training loss within {@link FLAT_TOLERANCE} of each other, counting back from the end.
 *
 * @example
 * ```ts
 * import { flatEpochs } from '@aekit/core';
 *
 * const history = [0.5, 0.2, 0.1, 0.1, 0.1].map((loss, epoch) => ({ epoch, loss, terms: { mse: loss }, seconds: 1 }));
 * flatEpochs(history); // 3: the last three epochs did not move
 * ```
 * @param history - The run's epochs, in order.
 */
export function flatEpochs(history: readonly EpochRecord[]): number {
  if (history.length === 0) return 0;
  let low = history.at(-1)!.loss;
  let high = low;
  let count = 1;
  for (let i = history.length - 2; i >= 0; i--) {
    const loss = history[i].loss;
    const nextLow = Math.min(low, loss);
    const nextHigh = Math.max(high, loss);
    if (nextHigh - nextLow > FLAT_TOLERANCE * Math.max(Math.abs(nextHigh), Math.abs(nextLow), 1e-12)) break;
    low = nextLow;
    high = nextHigh;
    count++;
  }
  return count;
}

function fmt(x: number): string {
  return x.toPrecision(4);
}
