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
export { integerIn, nonNegative, parseConfig, parseFileContents, positiveInt, positiveNumber } from './config.js';
export { createRng, deriveSeed, shuffledIndices, withSeededMathRandom, type Rng } from './random.js';
export { chunkedShuffle } from './chunked-shuffle.js';
export {
  DATE_PARTS,
  featureScalerSchema,
  IMAGE_FITS,
  IMAGE_KERNELS,
  imagePreprocessingFor,
  imagePreprocessingSchema,
  IMPUTE_STRATEGIES,
  parsePreprocessing,
  PREPROCESSING_VERSION,
  preprocessingSchema,
  standardize,
  tableColumnSchema,
  tablePreprocessingSchema,
  type DatePart,
  type FeatureScaler,
  type ImagePreprocessing,
  type ImputeStrategy,
  type Preprocessing,
  type PreprocessingKind,
  type TableColumnEncoding,
  type TablePreprocessing,
  SERIES_DETRENDS,
  seriesPreprocessingSchema,
  TIME_KINDS,
  type SeriesDetrend,
  type SeriesPreprocessing,
} from './preprocessing.js';
export {
  PreprocessingRegistry,
  preprocessors,
  type PreparedItems,
  type PrepareOptions,
  type PreprocessingOf,
  type PreprocessingReader,
  type PreprocessingStep,
  type RawItem,
  type ReaderModule,
} from './preprocessing-readers.js';
export { ArrayDataset, range, sizeOfShape, splitDataset, splitIndices, type Dataset } from './dataset.js';
export { unitFloatsFromBytes } from './kernel-contracts/unit-floats-from-bytes.js';
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
export { pluginCommand, runPluginCommand, type CommandIO, type PluginCommand } from './plugin-command.js';
export {
  commandOptions,
  flagName,
  option,
  type CommandOptions,
  type OptionField,
  type OptionInput,
  type OptionMeta,
  type OptionShape,
  type OptionValues,
} from './command-options.js';
export type { DatasetLoadOptions, DatasetProvider, LoadedDataset } from './dataset-provider.js';
export { dataDefaults, describeValues, UNIT_INTERVAL_DATA, VALUE_RANGES, type DataDescription, type ValueRange } from './data-description.js';
export type { AutoencoderPlugin } from './plugin.js';
export type { FigureWriter, HeatmapFigure, ImageRow, LineFigure, ScatterFigure } from './figures.js';
export { FamilyRegistry, registry } from './registry.js';
export * from './trainer/index.js';
export * from './backend/index.js';
export * from './metrics/index.js';
export * from './series/index.js';
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
  compareWithBaselines,
  diagnoseRun,
  FLAT_EPOCHS,
  FLAT_TOLERANCE,
  flatEpochs,
  posteriorCollapseWarning,
  type RunFacts,
  type RunWarning,
  type RunWarningCode,
} from './diagnostics/run-warnings.js';
