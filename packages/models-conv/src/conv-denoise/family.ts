import { dataDefaults, stepsOfMnistEpochs, type ModelFamily } from '@aekit/core';
import { buildConvAutoencoder } from '../build.js';
import { convDataDefaults } from '../data-defaults.js';
import { codeImageShape, reportDenoising } from '../family-hooks.js';
import { convDenoiseConfigSchema as schema, type ConvDenoiseConfig } from './config.js';

/**
 * `conv-denoise`: the larger denoising autoencoder of the Keras blog.
 * Conv2D 32-32 (3x3, relu) with 2x2 max pooling give a 7x7x32 code; the
 * decoder mirrors them with up-sampling and ends in a sigmoid convolution.
 * It trains on inputs corrupted by gaussian noise of factor 0.5 clipped to
 * [0, 1] against the clean images unless the user sets other noise.
 */
export const convDenoiseFamily: ModelFamily<typeof schema> = {
  name: 'conv-denoise',
  description: 'denoising convolutional autoencoder (Keras blog): Conv2D 32-32 to a 7x7x32 code, trained with gaussian:0.5 noise',
  configSchema: schema,
  // aekit's default of 10 epochs of MNIST in batches of 128, as a step budget.
  training: { steps: stepsOfMnistEpochs(10, 128), batchSize: 128, noise: { type: 'gaussian', factor: 0.5 } },
  create: (config: ConvDenoiseConfig, context) => buildConvAutoencoder('conv-denoise', config, context.dataShape),
  codeImageShape,
  // Images in [0, 1]; encoder stages that follow the image size.
  values: ['unit-interval'],
  configFor: dataDefaults(convDataDefaults),
  report: reportDenoising,
};
