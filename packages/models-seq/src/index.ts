/**
 * Sequence autoencoders for aekit: the `lstm` family (a sequence-to-sequence
 * LSTM autoencoder), padded variable-length sequence datasets with masking,
 * a seeded generator of multivariate time series with labelled anomalies,
 * sliding windows, anomaly scoring with precision, recall and ROC AUC, and
 * the `ae detect` command. The Node-only CSV reader is in
 * `@aekit/models-seq/node`.
 *
 * @packageDocumentation
 */
export { plugin } from './plugin.js';
export { lstmFamily, createLstmAutoencoder } from './lstm/family.js';
export { lstmConfigSchema, resolveSequenceShape, OUTPUT_ACTIVATIONS, type LstmConfig, type SequenceShape } from './lstm/config.js';
export { LstmAutoencoder, type EncoderLayers, type SequenceForwardOptions } from './lstm/lstm-autoencoder.js';
export { FusedLstm, type CallKwargs } from './lstm/fused-lstm.js';
export { BatchedTimeDistributed } from './lstm/time-distributed.js';
export { attachLengths, lengthsOf, sequenceMask } from './sequences/lengths.js';
export { rowSequences } from './sequences/row-sequences.js';
export { PaddedSequenceDataset, type PadSequencesOptions, type SequenceInput } from './sequences/padded-dataset.js';
export { timeSeries, type TimeSeries } from './series/time-series.js';
export {
  generateSeries,
  generateSeriesOptionsSchema,
  ANOMALY_KINDS,
  type AnomalyKind,
  type GenerateSeriesOptions,
  type GeneratedSeries,
  type InjectedAnomaly,
} from './series/generate.js';
export { slidingWindows, windowStarts, WindowDataset, type WindowOptions } from './series/windows.js';
export { SeriesNormalizer, type NormalizerOptions } from './series/normalize.js';
export { parseSeriesCsv, LABEL_COLUMNS, TIME_COLUMNS } from './series/csv.js';
// The detection metrics live in core (shared with `ae score`); re-exported for existing callers.
export { rocAuc, precisionRecall, percentile, type DetectionCounts } from '@aekit/core';
export { scoreWindows, type ReconstructionScores } from './detect/scoring.js';
export {
  detectAnomalies,
  detectOptionsSchema,
  trainPartEnd,
  DETECT_MODEL_DEFAULTS,
  type DetectOptions,
  type DetectResult,
  type DetectionEvaluation,
} from './detect/detect.js';
export { detectCommand, parseFlags, flagName, type DetectFlags } from './detect/command.js';
