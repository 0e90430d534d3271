/**
 * aekit core: the interfaces every autoencoder family implements, the
 * registry plugins add their families to, the trainer, loss terms, noise,
 * datasets and backend selection. File-system helpers live in
 * `@aekit/core/node`.
 *
 * @packageDocumentation
 */
export { tf } from './tf.js';
export { z } from 'zod';
export * from './errors.js';
export { parseConfig, positiveInt, nonNegative } from './config.js';
export { createRng, deriveSeed, shuffledIndices, withSeededMathRandom, type Rng } from './random.js';
export { chunkedShuffle } from './chunked-shuffle.js';
export { standardize, type DataEncoding, type FeatureScaler, type TableColumnEncoding, type TableEncoding } from './data-encoding.js';
export { ArrayDataset, range, sizeOfShape, splitDataset, splitIndices, type Dataset } from './dataset.js';
export { applyNoise, formatNoiseSpec, noiseSpecSchema, parseNoiseSpec, type NoiseSpec } from './noise.js';
export {
  checkBatch,
  composeAutoencoder,
  LayersAutoencoder,
  stack,
  type Autoencoder,
  type AutoencoderGraph,
  type Decoder,
  type Encoder,
  type ForwardOptions,
  type ForwardPass,
  type LayersAutoencoderParts,
} from './autoencoder.js';
export { composeLoss, Loss, type LossState, type LossTerm, type LossValue } from './loss.js';
export * from './losses/index.js';
export type { BuildContext, DataFacts, ModelFamily, ReportContext, TrainingDefaults } from './family.js';
export type { CommandIO, PluginCommand } from './plugin-command.js';
export { flagName, parseCommandOptions, type OptionNaming } from './command-options.js';
export type { DatasetLoadOptions, DatasetProvider, LoadedDataset } from './dataset-provider.js';
export type { AutoencoderPlugin } from './plugin.js';
export type { FigureWriter, HeatmapFigure, ImageRow, LineFigure, ScatterFigure } from './figures.js';
export { FamilyRegistry, registry } from './registry.js';
export * from './trainer/index.js';
export * from './backend/index.js';
export * from './metrics/index.js';
export { fitPca, Pca, type PcaOptions } from './baselines/pca.js';
export {
  baselineScores,
  evaluateBaselines,
  fitBaselines,
  type BaselineLosses,
  type BaselineScores,
  type EvaluateBaselinesOptions,
  type FitBaselinesOptions,
} from './baselines/reconstruction-baselines.js';
export {
  BASELINE_MARGIN,
  COLLAPSE_KL_PER_DIMENSION,
  diagnoseRun,
  FLAT_EPOCHS,
  FLAT_TOLERANCE,
  flatEpochs,
  posteriorCollapseWarning,
  type RunFacts,
  type RunWarning,
  type RunWarningCode,
} from './diagnostics/run-warnings.js';
