import type { ModelFamily } from '@aekit/core';
import { buildMlpAutoencoder } from '../mlp-autoencoder.js';
import { codeImageShape } from '../shapes.js';
import { denseDefaults } from '../data-defaults.js';
import { TUTORIAL_TRAINING } from '../training.js';
import { denseConfigSchema } from './config.js';

/**
 * `dense`: the simple (undercomplete) autoencoder of the Keras tutorial,
 * `input -> latentDim relu -> input sigmoid`, trained with binary
 * cross-entropy. The smallest and fastest model here and the baseline to
 * compare the others with.
 */
export const denseFamily: ModelFamily<typeof denseConfigSchema> = {
  name: 'dense',
  description: 'simple fully-connected autoencoder: input -> 32 relu -> input sigmoid, binary cross-entropy',
  configSchema: denseConfigSchema,
  training: TUTORIAL_TRAINING,
  create(config, context) {
    return buildMlpAutoencoder({ family: 'dense', config, dataShape: context.dataShape, activation: config.activation });
  },
  codeImageShape,
  defaultsFor: denseDefaults,
};
