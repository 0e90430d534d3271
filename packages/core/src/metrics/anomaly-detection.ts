import { ConfigError } from '../errors.js';

/**
 * Area under the ROC curve of anomaly scores against 0/1 labels: the
 * probability that a random anomalous item scores higher than a random
 * normal one, with ties counting one half. Computed exactly from average
 * ranks (the Mann-Whitney U statistic), in O(n log n).
 *
 * @example
 * ```ts
 * import { rocAuc } from '@aekit/core';
 *
 * const scores = [0.1, 0.4, 0.35, 0.8, 0.9, 0.2]; // e.g. reconstruction errors
 * const labels = [0, 0, 1, 1, 1, 0];
 * rocAuc(scores, labels); // 0.889: 8 of the 9 anomalous-normal pairs are ranked right
 * ```
 * @param scores - One score per item; higher means more anomalous.
 * @param labels - 1 for anomalous, 0 for normal, one per score.
 * @throws RangeError when the lengths differ, a score is not finite, or
 *   the labels lack either class (the AUC is undefined then).
 */
export function rocAuc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  checkPairs(scores, labels);
  const order = ascending(scores);
  let positives = 0;
  let positiveRankSum = 0;
  for (let i = 0; i < order.length; ) {
    // A run of tied scores shares the average of the ranks i+1 .. j.
    let j = i;
    while (j < order.length && scores[order[j]] === scores[order[i]]) j++;
    const rank = (i + 1 + j) / 2;
    for (let k = i; k < j; k++) {
      if (labels[order[k]]) {
        positives++;
        positiveRankSum += rank;
      }
    }
    i = j;
  }
  const negatives = order.length - positives;
  if (positives === 0 || negatives === 0) {
    throw new RangeError(`ROC AUC needs both anomalous and normal items; got ${positives} anomalous of ${order.length}`);
  }
  return (positiveRankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** One point of a precision-recall sweep: flag every item scoring at least `threshold`. */
export interface ThresholdPoint {
  /** Items scoring at least this are flagged. */
  threshold: number;
  /** Share of flagged items that are anomalous. */
  precision: number;
  /** Share of anomalous items that are flagged. */
  recall: number;
  /** Harmonic mean of precision and recall; 0 when both are 0. */
  f1: number;
}

/**
 * The precision-recall curve: one point per distinct score, from the
 * highest (fewest flagged) to the lowest (everything flagged). Tied scores
 * enter together, since no threshold can separate them.
 *
 * @example
 * ```ts
 * import { precisionRecallCurve } from '@aekit/core';
 *
 * const curve = precisionRecallCurve([0.1, 0.4, 0.35, 0.8, 0.9, 0.2], [0, 0, 1, 1, 1, 0]);
 * curve[0]; // { threshold: 0.9, precision: 1, recall: 0.333, f1: 0.5 }
 * curve.length; // 6, the last flagging everything: { threshold: 0.1, precision: 0.5, recall: 1, … }
 * ```
 * @param scores - One score per item; higher means more anomalous.
 * @param labels - 1 for anomalous, 0 for normal.
 * @throws RangeError as {@link rocAuc} does, and when no item is anomalous.
 */
export function precisionRecallCurve(scores: ArrayLike<number>, labels: ArrayLike<number>): ThresholdPoint[] {
  checkPairs(scores, labels);
  let positives = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i]) positives++;
  if (positives === 0) throw new RangeError(`a precision-recall curve needs anomalous items; got none of ${labels.length}`);
  const order = ascending(scores).reverse();
  const points: ThresholdPoint[] = [];
  let truePositives = 0;
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j < order.length && scores[order[j]] === scores[order[i]]) {
      if (labels[order[j]]) truePositives++;
      j++;
    }
    const precision = truePositives / j;
    const recall = truePositives / positives;
    const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
    points.push({ threshold: scores[order[i]], precision, recall, f1 });
    i = j;
  }
  return points;
}

/**
 * Average precision, the usual summary of the precision-recall curve (PR
 * AUC): the mean of the precision at each anomalous item's threshold,
 * `Σ (R_k − R_{k−1}) · P_k` over the curve's points, as scikit-learn's
 * `average_precision_score` computes it. A random ranking scores about the
 * share of anomalies; a perfect one scores 1.
 *
 * @example
 * ```ts
 * import { averagePrecision } from '@aekit/core';
 *
 * averagePrecision([0.1, 0.4, 0.35, 0.8, 0.9, 0.2], [0, 0, 1, 1, 1, 0]); // 0.917 (a random ranking: about 0.5)
 * ```
 * @param scores - One score per item; higher means more anomalous.
 * @param labels - 1 for anomalous, 0 for normal.
 */
export function averagePrecision(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  let previousRecall = 0;
  let sum = 0;
  for (const point of precisionRecallCurve(scores, labels)) {
    sum += (point.recall - previousRecall) * point.precision;
    previousRecall = point.recall;
  }
  return sum;
}

/**
 * The threshold with the best F1 score over the precision-recall curve
 * (the first, i.e. highest, such threshold when several tie).
 *
 * @example
 * ```ts
 * import { bestF1 } from '@aekit/core';
 *
 * bestF1([0.1, 0.4, 0.35, 0.8, 0.9, 0.2], [0, 0, 1, 1, 1, 0]);
 * // { threshold: 0.35, precision: 0.75, recall: 1, f1: 0.857 }
 * ```
 * @param scores - One score per item; higher means more anomalous.
 * @param labels - 1 for anomalous, 0 for normal.
 */
export function bestF1(scores: ArrayLike<number>, labels: ArrayLike<number>): ThresholdPoint {
  return precisionRecallCurve(scores, labels).reduce((best, p) => (p.f1 > best.f1 ? p : best));
}

/** Counts and rates of flagged items against labels. */
export interface DetectionCounts {
  /** Flagged anomalous items. */
  truePositives: number;
  /** Flagged normal items. */
  falsePositives: number;
  /** Anomalous items not flagged. */
  falseNegatives: number;
  /** Normal items not flagged. */
  trueNegatives: number;
  /** Share of flagged items that are anomalies; 0 when nothing is flagged. */
  precision: number;
  /** Share of anomalies that are flagged; 0 when there are no anomalies. */
  recall: number;
  /** Harmonic mean of precision and recall; 0 when both are 0. */
  f1: number;
}

/**
 * Precision, recall and F1 of 0/1 flags against 0/1 labels, item by item.
 *
 * @example
 * ```ts
 * import { precisionRecall } from '@aekit/core';
 *
 * const flags = [1, 0, 1, 1, 0, 0]; // e.g. errors above a threshold
 * const labels = [1, 0, 0, 1, 1, 0];
 * precisionRecall(flags, labels);
 * // { truePositives: 2, falsePositives: 1, falseNegatives: 1, trueNegatives: 2, precision: 0.667, recall: 0.667, f1: 0.667 }
 * ```
 * @param flags - 1 where the detector flags an item.
 * @param labels - 1 where the item is anomalous.
 * @throws RangeError when the lengths differ.
 */
export function precisionRecall(flags: ArrayLike<number>, labels: ArrayLike<number>): DetectionCounts {
  if (flags.length !== labels.length) throw new RangeError(`got ${flags.length} flags but ${labels.length} labels`);
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (let i = 0; i < flags.length; i++) {
    if (flags[i] && labels[i]) tp++;
    else if (flags[i]) fp++;
    else if (labels[i]) fn++;
  }
  const precision = tp + fp > 0 ? tp / (tp + fp) : 0;
  const recall = tp + fn > 0 ? tp / (tp + fn) : 0;
  const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  return { truePositives: tp, falsePositives: fp, falseNegatives: fn, trueNegatives: flags.length - tp - fp - fn, precision, recall, f1 };
}

/**
 * The q-th percentile of some values, interpolating linearly between the
 * two nearest ranks (numpy's default), e.g. `percentile(errors, 99)`.
 *
 * @example
 * ```ts
 * import { percentile } from '@aekit/core';
 *
 * percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90); // 9.1
 * declare const validationErrors: Float32Array;
 * const threshold = percentile(validationErrors, 99); // flag what scores above 99% of normal data
 * ```
 * @param values - At least one finite value.
 * @param q - Percentile in [0, 100].
 * @throws ConfigError naming `percentile` when q is out of range; RangeError for no values.
 */
export function percentile(values: ArrayLike<number>, q: number): number {
  if (!(q >= 0 && q <= 100)) throw new ConfigError('percentile', `expected a number from 0 to 100, got ${q}`);
  if (values.length === 0) throw new RangeError('percentile of no values');
  const sorted = Float64Array.from(values).sort();
  const position = (q / 100) * (sorted.length - 1);
  const below = Math.floor(position);
  const above = Math.min(below + 1, sorted.length - 1);
  return sorted[below] + (sorted[above] - sorted[below]) * (position - below);
}

/** Everything {@link anomalyMetrics} reports. */
export interface AnomalyMetrics {
  /** Items scored. */
  items: number;
  /** Anomalous items among them. */
  anomalies: number;
  /** Area under the ROC curve. */
  rocAuc: number;
  /** Average precision (PR AUC). */
  averagePrecision: number;
  /** The best F1 over all thresholds, with its threshold, precision and recall. */
  bestF1: ThresholdPoint;
}

/**
 * ROC AUC, average precision and the best F1 of anomaly scores, the
 * figures `ae score` and `ae detect` report.
 *
 * @example
 * ```ts
 * import { anomalyMetrics } from '@aekit/core';
 *
 * anomalyMetrics([0.1, 0.4, 0.35, 0.8, 0.9, 0.2], [0, 0, 1, 1, 1, 0]);
 * // { items: 6, anomalies: 3, rocAuc: 0.889, averagePrecision: 0.917,
 * //   bestF1: { threshold: 0.35, precision: 0.75, recall: 1, f1: 0.857 } }
 * ```
 * @param scores - One score per item; higher means more anomalous.
 * @param labels - 1 for anomalous, 0 for normal.
 */
export function anomalyMetrics(scores: ArrayLike<number>, labels: ArrayLike<number>): AnomalyMetrics {
  let anomalies = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i]) anomalies++;
  return { items: scores.length, anomalies, rocAuc: rocAuc(scores, labels), averagePrecision: averagePrecision(scores, labels), bestF1: bestF1(scores, labels) };
}

function ascending(scores: ArrayLike<number>): number[] {
  return Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[a] - scores[b]);
}

function checkPairs(scores: ArrayLike<number>, labels: ArrayLike<number>): void {
  if (scores.length !== labels.length) throw new RangeError(`got ${scores.length} scores but ${labels.length} labels`);
  for (let i = 0; i < scores.length; i++) {
    if (!Number.isFinite(scores[i])) throw new RangeError(`score ${i} is ${scores[i]}; scores must be finite`);
  }
}
