import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { anomalyMetrics, averagePrecision, bestF1, percentile, precisionRecall, precisionRecallCurve, rocAuc } from '../src/index.js';

/** F1 of flagging every item scoring at least `t`, by counting. */
function f1At(scores: number[], labels: number[], t: number): number {
  return precisionRecall(scores.map((s) => (s >= t ? 1 : 0)), labels).f1;
}

/** Average precision by its definition: for each anomalous item, the precision among items scoring at least as high, averaged. */
function bruteAveragePrecision(scores: number[], labels: number[]): number {
  const positives = scores.filter((_, i) => labels[i]);
  const precisions = positives.map((p) => {
    const flagged = scores.map((s, i) => [s, labels[i]]).filter(([s]) => s >= p);
    return flagged.filter(([, l]) => l).length / flagged.length;
  });
  return precisions.reduce((a, b) => a + b, 0) / positives.length;
}

/** Scores on a coarse grid (many ties) with labels holding both classes. */
const scored = fc
  .array(fc.tuple(fc.integer({ min: 0, max: 8 }), fc.boolean()), { minLength: 2, maxLength: 40 })
  .filter((items) => items.some(([, l]) => l) && items.some(([, l]) => !l))
  .map((items) => ({ scores: items.map(([s]) => s / 4), labels: items.map(([, l]) => (l ? 1 : 0)) }));

describe('anomaly metrics', () => {
  it('give the hand-computed answers on a small case', () => {
    // Descending: 0.8 (anomalous), 0.4 (normal), 0.35 (anomalous), 0.1 (normal).
    const scores = [0.1, 0.4, 0.35, 0.8];
    const labels = [0, 0, 1, 1];
    expect(rocAuc(scores, labels)).toBe(0.75);
    // Recall steps 0.5 at precision 1, then 0.5 at precision 2/3.
    expect(averagePrecision(scores, labels)).toBeCloseTo(0.5 * 1 + 0.5 * (2 / 3), 12);
    const best = bestF1(scores, labels);
    expect(best.threshold).toBe(0.35);
    expect(best.precision).toBeCloseTo(2 / 3, 12);
    expect(best.recall).toBe(1);
    expect(best.f1).toBeCloseTo(0.8, 12);
    expect(precisionRecallCurve(scores, labels).map((p) => p.threshold)).toEqual([0.8, 0.4, 0.35, 0.1]);
  });

  it('treat tied scores as one threshold', () => {
    expect(averagePrecision([1, 1, 1, 1], [0, 1, 0, 1])).toBe(0.5);
    expect(precisionRecallCurve([2, 2, 1], [1, 0, 0])).toEqual([
      { threshold: 2, precision: 0.5, recall: 1, f1: 2 / 3 },
      { threshold: 1, precision: 1 / 3, recall: 1, f1: 0.5 },
    ]);
  });

  it('give 1 for a perfect ranking and the worst values for a reversed one', () => {
    const m = anomalyMetrics([0.9, 0.8, 0.1, 0.2, 0.3], [1, 1, 0, 0, 0]);
    expect(m).toMatchObject({ items: 5, anomalies: 2, rocAuc: 1, averagePrecision: 1, bestF1: { f1: 1, threshold: 0.8 } });
    expect(rocAuc([0.1, 0.2, 0.9], [1, 1, 0])).toBe(0);
  });

  it('agree with their definitions on random scores with ties (property)', () => {
    fc.assert(
      fc.property(scored, ({ scores, labels }) => {
        expect(averagePrecision(scores, labels)).toBeCloseTo(bruteAveragePrecision(scores, labels), 10);
        const bruteBest = Math.max(...scores.map((t) => f1At(scores, labels, t)));
        const best = bestF1(scores, labels);
        expect(best.f1).toBeCloseTo(bruteBest, 10);
        expect(f1At(scores, labels, best.threshold)).toBeCloseTo(best.f1, 10);
        // Swapping the classes and negating the scores ranks the same pairs.
        expect(rocAuc(scores.map((s) => -s), labels.map((l) => 1 - l))).toBeCloseTo(rocAuc(scores, labels), 12);
      }),
      { numRuns: 200, seed: 17 },
    );
  });

  it('do not change under a strictly increasing transform of the scores (property)', () => {
    fc.assert(
      fc.property(scored, ({ scores, labels }) => {
        const moved = scores.map((s) => Math.exp(3 * s) + 1);
        expect(rocAuc(moved, labels)).toBe(rocAuc(scores, labels));
        expect(averagePrecision(moved, labels)).toBe(averagePrecision(scores, labels));
        expect(bestF1(moved, labels).f1).toBe(bestF1(scores, labels).f1);
      }),
      { numRuns: 100, seed: 18 },
    );
  });

  it('refuse input they cannot rank', () => {
    expect(() => averagePrecision([1, 2], [0, 0])).toThrow(/needs anomalous items/);
    expect(() => rocAuc([1, 2], [1, 1])).toThrow(/needs both anomalous and normal items/);
    expect(() => bestF1([1, NaN], [0, 1])).toThrow(/score 1 is NaN/);
    expect(() => percentile([1], 101)).toThrow(/percentile/);
  });
});
