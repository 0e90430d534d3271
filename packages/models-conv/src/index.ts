/**
 * Convolutional autoencoders for aekit: the classic MNIST convolutional
 * autoencoder (`conv`), the denoising one (`conv-denoise`), a measure of
 * denoising quality, and the `ae classify` experiment that feeds a
 * denoiser's outputs and codes to a CNN classifier.
 *
 * @packageDocumentation
 */
export { plugin } from './plugin.js';
export { convFamily, convDenoiseFamily, convFamilies, type ConvDenoiseConfig } from './families.js';
export { convFamilyConfigSchema } from './conv/config.js';
export { convDenoiseConfigSchema } from './conv-denoise/config.js';
export { convConfigSchema, resolvedDecoderFilters, UPSAMPLING_MODES, type ConvConfig, type ConvConfigDefaults, type UpsamplingMode } from './config.js';
export { buildConvAutoencoder } from './build.js';
export { planDecoder, pooledSize, type Cropping, type DecoderGeometry } from './geometry.js';
export { codeImageShapeFor } from './code-image.js';
export {
  describeDenoising,
  measureDenoising,
  type DenoisingQuality,
  type ImageQuality,
  type MeasureDenoisingOptions,
} from './denoising.js';
export { classifyCommand } from './classify/command.js';
export {
  runClassifyExperiment,
  type ClassifyOptions,
  type ClassifyResult,
  type ClassifyRow,
} from './classify/experiment.js';
export { buildClassifier } from './classify/classifier.js';
export {
  classifierAccuracy,
  trainClassifier,
  type ClassifierTraining,
  type ClassifierTrainingOptions,
  type PrepareBatch,
} from './classify/train.js';
export { mapDataset } from './classify/datasets.js';
export { formatAccuracyTable } from './classify/table.js';
