// The log lines that put baselines beside a result: every baseline the
// autoencoder does not beat is named, not only the best of them, and a PCA
// capped by the number of training examples says so.
import { describe, expect, it } from 'vitest';
import { describeBaselineLosses } from '../src/baselines/run-baselines.js';
import { describeScoreBaselines, type ScoreBaselines } from '../src/baselines/score-baselines.js';

/** A baseline's figures; only the ROC AUC is in the line. */
const figures = (rocAuc: number) => ({ rocAuc, averagePrecision: 0.5, bestF1: { threshold: 1, precision: 0.5, recall: 0.5, f1: 0.5 } });
const baselines: ScoreBaselines = {
  distanceToMean: figures(0.7753),
  pca: { components: 2, ...figures(0.7696) },
  isolationForest: { trees: 100, rows: 200, ...figures(0.8101) },
  notes: [],
};

describe('the baselines beside a score', () => {
  it('names every baseline the autoencoder does not beat, the best first', () => {
    const line = describeScoreBaselines(0.7519, baselines);
    expect(line).toMatch(/^baselines' ROC AUC: distance to the training mean 0\.7753, PCA error \(2 components\) 0\.7696, isolation forest 0\.8101; /);
    expect(line).toContain('the autoencoder (0.7519) does no better than isolation forest (0.8101), distance to the training mean (0.7753) and PCA error (2 components) (0.7696)');
  });

  it('names only those it does not beat, and none when it beats them all', () => {
    expect(describeScoreBaselines(0.79, baselines)).toMatch(/does no better than isolation forest \(0\.8101\)$/);
    expect(describeScoreBaselines(0.9, baselines)).not.toContain('no better');
  });
});

describe('the baselines beside a loss', () => {
  it('says why a PCA has fewer components than the code has values', () => {
    const losses = { term: 'bce', mean: 0.52, pca: { components: 243, loss: 0.3265 } };
    expect(describeBaselineLosses(losses)).toBe('baselines (bce): training mean 0.5200, PCA with 243 components 0.3265');
    expect(describeBaselineLosses(losses, 'as many as there are training examples, 243; the code has 512 values')).toBe(
      'baselines (bce): training mean 0.5200, PCA with 243 components 0.3265 (as many as there are training examples, 243; the code has 512 values)',
    );
  });
});
