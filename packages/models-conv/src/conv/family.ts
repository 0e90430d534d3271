import { dataDefaults, stepsOfMnistEpochs, type ModelFamily } from '@aekit/core';
import { buildConvAutoencoder } from '../build.js';
import { convDataDefaults } from '../data-defaults.js';
import type { ConvConfig } from '../config.js';
import { codeImageShape, reportDenoising } from '../family-hooks.js';
import { convFamilyConfigSchema as schema } from './config.js';

/**
 * `conv`: the classic MNIST convolutional autoencoder of the Keras blog.
 * Conv2D 16-8-8 (3x3, relu) each followed by 2x2 max pooling give a 4x4x8
 * code of 128 values; the decoder's Conv2D 8-8-16 with 2x2 up-sampling (the
 * third one 'valid', 16 → 14) and a 3x3 sigmoid convolution return 28x28x1;
 * trained with binary cross-entropy. Trained with `--noise` it is a
 * denoiser, and its report then measures the denoising.
 */
export const convFamily: ModelFamily<typeof schema> = {
  name: 'conv',
  description: 'convolutional autoencoder (Keras blog): Conv2D 16-8-8 + max pooling to a 4x4x8 code, up-sampling decoder',
  configSchema: schema,
  // aekit's default of 10 epochs of MNIST in batches of 128, as a step budget.
  training: { steps: stepsOfMnistEpochs(10, 128), batchSize: 128 },
  create: (config: ConvConfig, context) => buildConvAutoencoder('conv', config, context.dataShape),
  codeImageShape,
  // Images in [0, 1]; encoder stages that follow the image size.
  values: ['unit-interval'],
  configFor: dataDefaults(convDataDefaults),
  report: reportDenoising,
};
