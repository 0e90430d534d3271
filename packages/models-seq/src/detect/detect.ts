import {
  z,
  averagePrecision,
  bestF1,
  ConfigError,
  fit,
  parseConfig,
  percentile,
  positiveInt,
  precisionRecall,
  rocAuc,
  type DetectionCounts,
  type ThresholdPoint,
  type TrainingCallbacks,
  type TrainingResult,
} from '@aekit/core';
import { createLstmAutoencoder } from '../lstm/family.js';
import type { LstmAutoencoder } from '../lstm/lstm-autoencoder.js';
import { SeriesNormalizer } from '../series/normalize.js';
import type { TimeSeries } from '../series/time-series.js';
import { slidingWindows } from '../series/windows.js';
import { scoreWindows } from './scoring.js';

/** The `lstm` settings detection uses unless told otherwise: small, for windows of a few signals. */
export const DETECT_MODEL_DEFAULTS = { latentDim: 16, units: 32 } as const;

/** zod schema of {@link DetectOptions}; every field has a default. */
export const detectOptionsSchema = z.strictObject({
  /** Points per window. */
  window: positiveInt().min(2).default(32),
  /** Share of the series, from its start, that is the (normal) training part. */
  trainFraction: z.number().gt(0).lt(1).default(0.5),
  /** Percentile of the training part's point scores used as the threshold. */
  percentile: z.number().min(0).max(100).default(99.9),
  /** Remove a straight-line trend fitted on the training part. */
  detrend: z.boolean().default(true),
  /** Points between the starts of training windows. */
  trainStride: positiveInt().default(1),
  /** Training epochs. */
  epochs: positiveInt().default(8),
  /** Windows per gradient step. */
  batchSize: positiveInt().default(64),
  /** Adam's learning rate. */
  learningRate: z.number().finite().positive().default(0.005),
  /** Seed of weight initialisation and shuffling. */
  seed: z.number().int().default(0),
  /** `lstm` config fields; merged over {@link DETECT_MODEL_DEFAULTS}. */
  model: z.record(z.string(), z.unknown()).default({}),
});

/** Options of {@link detectAnomalies}. */
export type DetectOptions = z.input<typeof detectOptionsSchema>;

/** How well the flags and scores match a series' anomaly labels, on the test part. */
export interface DetectionEvaluation {
  /**
   * Point by point: precision, recall, F1 and counts at the threshold; and,
   * over every threshold, the ROC AUC, the average precision (PR AUC) and
   * the best F1 with its threshold (the same metrics as `ae score`).
   */
  points: DetectionCounts & { rocAuc: number; averagePrecision: number; bestF1: ThresholdPoint; anomalies: number; total: number };
  /**
   * Window by window (a window is anomalous if it contains an anomalous
   * point): the ROC AUC of window scores, absent when every test window
   * contains an anomaly.
   */
  windows: { rocAuc?: number; anomalous: number; total: number };
}

/** What {@link detectAnomalies} found. */
export interface DetectResult {
  /** The trained model; the caller owns it and disposes it. */
  autoencoder: LstmAutoencoder;
  /** The fitted normalisation and the normalised series the model saw. */
  normalizer: SeriesNormalizer;
  normalized: TimeSeries;
  /** First point of the test part. */
  trainEnd: number;
  /** Score above which a test point is flagged. */
  threshold: number;
  /** Score of every point (training part too), averaged over channels. */
  pointScores: Float32Array;
  /** Per point and channel, time-major. */
  channelScores: Float32Array;
  /** 1 for flagged test points; 0 for the rest, the training part included. */
  flags: Uint8Array;
  /** Score of each test window, and its first point. */
  testWindows: { starts: Int32Array; scores: Float32Array };
  /** Training history. */
  training: TrainingResult;
  /** Only when the series has labels with both normal and anomalous test points. */
  evaluation?: DetectionEvaluation;
  /** The validated options. */
  options: z.output<typeof detectOptionsSchema>;
}

/**
 * Finds anomalies in a time series with an LSTM autoencoder: normalises the
 * series on its training part (the first `trainFraction`, assumed normal;
 * labelled points there are left out), trains on overlapping windows of
 * it, scores every point of the whole series by reconstruction error,
 * takes the `percentile`-th percentile of the training scores as the
 * threshold and flags test points above it. With labels, it also measures
 * precision, recall and ROC AUC on the test part.
 *
 * @param series - The series, with anomaly labels if they are known.
 * @param options - Windowing, threshold, training and model settings.
 * @param callbacks - Training event listeners, e.g. a progress display.
 * @throws ConfigError naming the offending option.
 */
export async function detectAnomalies(series: TimeSeries, options: DetectOptions = {}, callbacks: TrainingCallbacks[] = []): Promise<DetectResult> {
  const opts = parseConfig(detectOptionsSchema, options);
  const trainEnd = trainPartEnd(series.length, opts.trainFraction);
  if (trainEnd < opts.window + 1 || series.length - trainEnd < opts.window) {
    throw new ConfigError(
      'window',
      `${opts.window} points leave too few windows in a training part of ${trainEnd} and a test part of ${series.length - trainEnd} points`,
    );
  }
  const normalizer = SeriesNormalizer.fit(series, { end: trainEnd, detrend: opts.detrend });
  const normalized = normalizer.transform(series);

  const trainWindows = slidingWindows(normalized, { window: opts.window, stride: opts.trainStride, to: trainEnd });
  const normalWindows = normalized.labels ? trainWindows.subset(indicesWhere(trainWindows.labels(allIndices(trainWindows.size)), 0)) : trainWindows;
  if (normalWindows.size === 0) throw new ConfigError('trainFraction', 'every training window contains a labelled anomaly');

  const autoencoder = createLstmAutoencoder({ ...DETECT_MODEL_DEFAULTS, ...opts.model }, { seed: opts.seed, dataShape: [opts.window, series.channels] });
  try {
    const training = await fit(autoencoder, normalWindows, {
      epochs: opts.epochs,
      batchSize: opts.batchSize,
      learningRate: opts.learningRate,
      seed: opts.seed,
      callbacks,
    });

    const trainScores = await scoreWindows(autoencoder, slidingWindows(normalized, { window: opts.window, to: trainEnd }));
    const testWindows = slidingWindows(normalized, { window: opts.window, from: trainEnd });
    const testScores = await scoreWindows(autoencoder, testWindows);
    const pointScores = Float32Array.from({ length: series.length }, (_, t) => (t < trainEnd ? trainScores : testScores).pointScores[t]);
    const channelScores = Float32Array.from({ length: series.length * series.channels }, (_, i) =>
      (i < trainEnd * series.channels ? trainScores : testScores).channelScores[i],
    );

    const normalTrainScores = pointScores.subarray(0, trainEnd).filter((_, t) => !series.labels?.[t]);
    const threshold = percentile(normalTrainScores, opts.percentile);
    const flags = Uint8Array.from(pointScores, (s, t) => (t >= trainEnd && s > threshold ? 1 : 0));

    return {
      autoencoder,
      normalizer,
      normalized,
      trainEnd,
      threshold,
      pointScores,
      channelScores,
      flags,
      testWindows: { starts: testWindows.starts, scores: testScores.windowScores },
      training,
      evaluation: evaluateDetection(series, trainEnd, pointScores, flags, testWindows.starts, testScores.windowScores, opts.window),
      options: opts,
    };
  } catch (error) {
    autoencoder.dispose();
    throw error;
  }
}

/**
 * First point of the test part: the training part is the first
 * `trainFraction` of the series, rounded to whole points.
 *
 * @param length - Points of the whole series.
 * @param trainFraction - Share of the series the model trains on, from its start.
 */
export function trainPartEnd(length: number, trainFraction: number): number {
  return Math.round(length * trainFraction);
}

function evaluateDetection(
  series: TimeSeries,
  trainEnd: number,
  pointScores: Float32Array,
  flags: Uint8Array,
  windowStarts: Int32Array,
  windowScores: Float32Array,
  window: number,
): DetectionEvaluation | undefined {
  const labels = series.labels?.subarray(trainEnd);
  if (!labels || !labels.includes(1) || !labels.includes(0)) return undefined;
  const scores = pointScores.subarray(trainEnd);
  const windowLabels = Uint8Array.from(windowStarts, (s) => (series.labels!.subarray(s, s + window).includes(1) ? 1 : 0));
  const anomalousWindows = windowLabels.reduce((a, b) => a + b, 0);
  return {
    points: {
      ...precisionRecall(flags.subarray(trainEnd), labels),
      rocAuc: rocAuc(scores, labels),
      averagePrecision: averagePrecision(scores, labels),
      bestF1: bestF1(scores, labels),
      anomalies: labels.reduce((a, b) => a + b, 0),
      total: labels.length,
    },
    windows: {
      rocAuc: anomalousWindows > 0 && anomalousWindows < windowLabels.length ? rocAuc(windowScores, windowLabels) : undefined,
      anomalous: anomalousWindows,
      total: windowLabels.length,
    },
  };
}

function allIndices(n: number): Int32Array {
  return Int32Array.from({ length: n }, (_, i) => i);
}

function indicesWhere(values: ArrayLike<number>, wanted: number): Int32Array {
  const out: number[] = [];
  for (let i = 0; i < values.length; i++) if (values[i] === wanted) out.push(i);
  return Int32Array.from(out);
}
