import { ConfigError } from '@aekit/core';

/**
 * Area under the ROC curve of anomaly scores against 0/1 labels: the
 * probability that a random anomalous point scores higher than a random
 * normal one, with ties counting one half. Computed exactly from average
 * ranks (the Mann-Whitney U statistic), in O(n log n).
 *
 * @param scores - One score per point; higher means more anomalous.
 * @param labels - 1 for anomalous, 0 for normal, one per score.
 * @throws RangeError when the lengths differ, a score is not finite, or
 *   the labels lack either class (the AUC is undefined then).
 */
export function rocAuc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  checkPairs(scores, labels);
  const order = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[a] - scores[b]);
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
    throw new RangeError(`ROC AUC needs both anomalous and normal points; got ${positives} anomalous of ${order.length}`);
  }
  return (positiveRankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** Counts and rates of flagged points against labels. */
export interface DetectionCounts {
  /** Flagged anomalous points. */
  truePositives: number;
  /** Flagged normal points. */
  falsePositives: number;
  /** Anomalous points not flagged. */
  falseNegatives: number;
  /** Normal points not flagged. */
  trueNegatives: number;
  /** Share of flagged points that are anomalies; 0 when nothing is flagged. */
  precision: number;
  /** Share of anomalies that are flagged; 0 when there are no anomalies. */
  recall: number;
  /** Harmonic mean of precision and recall; 0 when both are 0. */
  f1: number;
}

/**
 * Precision, recall and F1 of 0/1 flags against 0/1 labels, point by point.
 *
 * @param flags - 1 where the detector flags a point.
 * @param labels - 1 where the point is anomalous.
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

function checkPairs(scores: ArrayLike<number>, labels: ArrayLike<number>): void {
  if (scores.length !== labels.length) throw new RangeError(`got ${scores.length} scores but ${labels.length} labels`);
  for (let i = 0; i < scores.length; i++) {
    if (!Number.isFinite(scores[i])) throw new RangeError(`score ${i} is ${scores[i]}; scores must be finite`);
  }
}
