import { describe, expect, it } from 'vitest';
import { diagnoseRun, flatEpochs, planTraining, posteriorCollapseWarning, stepsOfMnistEpochs, type EpochRecord } from '../src/index.js';

const tutorial = { steps: stepsOfMnistEpochs(50, 256), batchSize: 256 };

describe('planTraining', () => {
  it("keeps the tutorial's 50 epochs of batch 256 on MNIST", () => {
    const plan = planTraining({ examples: 60_000, validationSplit: 0.1, defaults: tutorial });
    expect(plan).toMatchObject({ epochs: 50, batchSize: 256, budget: 'steps', neededSteps: 10_550, patience: 10 });
    expect(plan.warning).toBeUndefined();
  });

  it('gives a small table smaller batches and many more epochs, with early stopping', () => {
    const plan = planTraining({ examples: 320, validationSplit: 0.1, defaults: tutorial });
    expect(plan.batchSize).toBe(16);
    expect(plan.epochs).toBe(Math.ceil(10_550 / 18));
    expect(plan.steps).toBeGreaterThanOrEqual(10_550);
    expect(plan.patience).toBe(59);
  });

  it('keeps epochs asked for, and warns once when they give fewer steps than the family needs', () => {
    const plan = planTraining({ examples: 2000, validationSplit: 0.1, defaults: tutorial, epochs: 2 });
    expect(plan).toMatchObject({ epochs: 2, batchSize: 32, steps: 114, budget: 'epochs' });
    expect(plan.warning?.code).toBe('too-few-steps');
    expect(plan.warning?.message).toContain('114 optimizer steps, fewer than the 10550');
    expect(planTraining({ examples: 60_000, validationSplit: 0.1, defaults: tutorial, epochs: 60 }).warning).toBeUndefined();
  });

  it('turns early stopping off without validation data or when asked, and uses the epochs of a family without a budget', () => {
    expect(planTraining({ examples: 500, validationSplit: 0, defaults: tutorial }).patience).toBeUndefined();
    expect(planTraining({ examples: 500, validationSplit: 0.1, defaults: tutorial, earlyStopping: false }).patience).toBeUndefined();
    // The batch still shrinks for small data: 450 examples in batches of 16 make 29 steps an epoch.
    expect(planTraining({ examples: 500, validationSplit: 0.1, defaults: { epochs: 7, batchSize: 32 } })).toMatchObject({ epochs: 7, budget: 'epochs', batchSize: 16 });
  });
});

const history = (losses: number[]): EpochRecord[] => losses.map((loss, epoch) => ({ epoch, loss, terms: {}, seconds: 1 }));

describe('diagnoseRun', () => {
  const healthy = { codeSize: 2, inputSize: 10, history: history([1, 0.5, 0.3]) };

  it('says nothing of a model that beats both baselines', () => {
    expect(diagnoseRun({ ...healthy, testReconstruction: 0.1, baselines: { term: 'mse', mean: 1, pca: { components: 2, loss: 0.6 } } })).toEqual([]);
  });

  it('names a model no better than the mean, and one that only ties PCA', () => {
    const atMean = diagnoseRun({ ...healthy, testReconstruction: 0.3496, baselines: { term: 'mse', mean: 0.3531, pca: { components: 2, loss: 0.0796 } } });
    expect(atMean.map((w) => w.code)).toEqual(['no-better-than-mean']);
    expect(atMean[0].message).toContain('0.3496 against 0.3531');
    const tie = diagnoseRun({ ...healthy, testReconstruction: 0.0899, baselines: { term: 'mse', mean: 0.48, pca: { components: 2, loss: 0.0898 } } });
    expect(tie.map((w) => w.code)).toEqual(['no-better-than-pca']);
  });

  it('warns of a code as large as the input and of a loss flat for ten epochs', () => {
    const warnings = diagnoseRun({ ...healthy, codeSize: 32, inputSize: 18, testReconstruction: 0.0018, history: history([0.5, ...Array(12).fill(0.3531)]) });
    expect(warnings.map((w) => w.code)).toEqual(['identity-code', 'flat-loss']);
    expect(warnings[1].message).toContain('for the last 12 epochs');
    expect(flatEpochs(history([0.5, 0.4, 0.39, 0.38]))).toBe(1);
  });

  it('warns of posterior collapse when the KL per latent dimension is tiny', () => {
    expect(posteriorCollapseWarning([0.002, 0.001, 0.004])?.code).toBe('posterior-collapse');
    expect(posteriorCollapseWarning([2.4, 2.7])).toBeUndefined();
  });
});
