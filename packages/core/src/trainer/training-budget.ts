import type { TrainingDefaults } from '../family.js';
import { TRAINING_DEFAULTS } from './fit-options.js';
import type { RunWarning } from '../diagnostics/run-warnings.js';

/**
 * Training examples of MNIST in an `ae train` run: 60,000 less the 10% held
 * out for validation. The families' step budgets are their tutorials'
 * epochs of these, so MNIST runs keep the tutorials' settings.
 */
export const MNIST_TRAINING_EXAMPLES = 54_000;

/**
 * The optimizer steps of `epochs` passes over MNIST's training examples in
 * batches of `batchSize`: how a family states the budget of its tutorial
 * (`stepsOfMnistEpochs(50, 256)` is 10,550).
 *
 * @example
 * ```ts
 * import { stepsOfMnistEpochs } from '@aekit/core';
 *
 * stepsOfMnistEpochs(50, 256); // 10550: 50 epochs of 211 steps (54,000 examples in batches of 256)
 * ```
 * @param epochs - Passes over the data.
 * @param batchSize - Examples per step.
 */
export function stepsOfMnistEpochs(epochs: number, batchSize: number): number {
  return epochs * Math.ceil(MNIST_TRAINING_EXAMPLES / batchSize);
}

/**
 * At least this many steps an epoch where the batch can shrink to allow
 * it, so that small data is not trained in two or three steps a pass, and a
 * step budget on a small image set costs fewer examples (steps times batch).
 */
export const MIN_STEPS_PER_EPOCH = 32;
/** The smallest batch a budget picks for small data. */
export const MIN_BATCH_SIZE = 16;
/** The most epochs a budget asks for, however small the data. */
export const MAX_BUDGET_EPOCHS = 2000;
/** The fewest epochs early stopping waits for an improvement. */
export const MIN_PATIENCE = 10;

/** What {@link planTraining} decides from. */
export interface TrainingPlanInput {
  /** Examples the run has before its validation share is held out. */
  examples: number;
  /** Share held out for validation (0 for none). */
  validationSplit: number;
  /** The family's training defaults (its `steps`, `batchSize`, `epochs`). */
  defaults?: TrainingDefaults;
  /** Passes asked for; the budget's when absent. */
  epochs?: number;
  /** Optimizer steps asked for; the family's `steps` when absent. */
  steps?: number;
  /** Examples per step asked for; scaled to the data when absent. */
  batchSize?: number;
  /** Epochs without improvement before stopping; a tenth of the epochs (at least 10) when absent. */
  patience?: number;
  /** False turns early stopping off; it is on whenever there is validation data. */
  earlyStopping?: boolean;
}

/** How long and in what batches a run trains; see {@link planTraining}. */
export interface TrainingPlan {
  epochs: number;
  batchSize: number;
  /** Optimizer steps of those epochs (fewer if early stopping ends the run). */
  steps: number;
  /** The steps the family needs (its budget), when it states one. */
  neededSteps?: number;
  /** Epochs without improvement of the validation loss before stopping; undefined when early stopping is off. */
  patience?: number;
  /** Where the number of epochs came from: the step budget, or epochs asked for (or the family's, for a family without a budget). */
  budget: 'steps' | 'epochs';
  /** The `too-few-steps` warning when epochs asked for give fewer steps than the family needs. */
  warning?: RunWarning;
}

/**
 * Plans a run from the data rather than from a tutorial's epochs. The batch
 * is the family's, made smaller for small data so an epoch has at least
 * {@link MIN_STEPS_PER_EPOCH} steps (a power of two, at least
 * {@link MIN_BATCH_SIZE}); the epochs are as many as the family's step
 * budget (`training.steps`) takes at that batch (at most
 * {@link MAX_BUDGET_EPOCHS}); early stopping watches the validation loss,
 * with a patience of a tenth of the epochs (at least {@link MIN_PATIENCE}),
 * and the trainer puts back the best epoch's weights. Epochs asked for win,
 * with a warning when they give fewer steps than the family needs.
 *
 * A table of 320 rows (288 after validation) trained by `dense` (budget
 * 10,550 steps, batch 256) gets batches of 16, 18 steps an epoch and 587
 * epochs, where the tutorial's 50 epochs of 256 gave it 100 steps in all;
 * MNIST keeps batches of 256 and 50 epochs.
 *
 * @example
 * ```ts
 * import { planTraining, stepsOfMnistEpochs } from '@aekit/core';
 *
 * const dense = { steps: stepsOfMnistEpochs(50, 256), batchSize: 256 }; // a tutorial of 50 MNIST epochs of 256
 * planTraining({ examples: 320, validationSplit: 0.1, defaults: dense }); // a 320-row table:
 * // { epochs: 587, batchSize: 16, steps: 10566, neededSteps: 10550, patience: 59, budget: 'steps' }
 * planTraining({ examples: 320, validationSplit: 0.1, defaults: dense, epochs: 20 }).warning?.code; // 'too-few-steps'
 * ```
 * @param input - The data's size and what was asked for.
 */
export function planTraining(input: TrainingPlanInput): TrainingPlan {
  const validation = input.validationSplit > 0 ? Math.max(1, Math.round(input.examples * input.validationSplit)) : 0;
  const trainExamples = Math.max(1, input.examples - validation);
  const familyBatch = input.defaults?.batchSize ?? TRAINING_DEFAULTS.batchSize;
  const batchSize = input.batchSize ?? Math.min(familyBatch, Math.max(MIN_BATCH_SIZE, floorPowerOfTwo(trainExamples / MIN_STEPS_PER_EPOCH)));
  const stepsPerEpoch = Math.ceil(trainExamples / batchSize);
  const neededSteps = input.steps ?? input.defaults?.steps;
  const fromBudget = input.epochs === undefined && neededSteps !== undefined;
  const epochs = input.epochs ?? (neededSteps !== undefined ? Math.min(MAX_BUDGET_EPOCHS, Math.ceil(neededSteps / stepsPerEpoch)) : (input.defaults?.epochs ?? TRAINING_DEFAULTS.epochs));
  const steps = epochs * stepsPerEpoch;
  const watch = input.earlyStopping !== false && validation > 0;
  const patience = watch ? (input.patience ?? Math.max(MIN_PATIENCE, Math.ceil(epochs / 10))) : undefined;
  const short = input.epochs !== undefined && neededSteps !== undefined && steps < neededSteps;
  return {
    epochs,
    batchSize,
    steps,
    ...(neededSteps !== undefined ? { neededSteps } : {}),
    ...(patience !== undefined ? { patience } : {}),
    budget: fromBudget ? 'steps' : 'epochs',
    ...(short
      ? {
          warning: {
            code: 'too-few-steps',
            message:
              `${epochs} ${epochs === 1 ? 'epoch' : 'epochs'} of ${stepsPerEpoch} steps ${epochs === 1 ? 'gives' : 'give'} ${steps} optimizer steps, fewer than the ${neededSteps} this family needs; ` +
              'the model may stay near the baselines (leave the epochs out to train for its step budget)',
          },
        }
      : {}),
  };
}

function floorPowerOfTwo(x: number): number {
  return x < 1 ? 1 : 2 ** Math.floor(Math.log2(x));
}
