import type { ModelFamily } from '@aekit/core';
import { OUTPUT_BY_DATA, outputForData } from '../schema.js';
import { buildMlpAutoencoder } from '../mlp-autoencoder.js';
import { codeImageShape } from '../shapes.js';
import { TUTORIAL_TRAINING } from '../training.js';
import { denseConfigSchema } from './config.js';

/**
 * `dense`: the simple (undercomplete) autoencoder of the Keras tutorial,
 * `input -> latentDim relu -> input sigmoid`, trained with binary
 * cross-entropy on values in [0, 1]; on unbounded data (tables) its output
 * is linear and its loss mean squared error. The smallest and fastest model here and the baseline to
 * compare the others with.
 */
export const denseFamily: ModelFamily<typeof denseConfigSchema> = {
  name: 'dense',
  description: `simple fully-connected autoencoder: input -> 32 relu -> input; ${OUTPUT_BY_DATA}`,
  configSchema: denseConfigSchema,
  configFor: outputForData('dense'),
  training: TUTORIAL_TRAINING,
  create(config, context) {
    return buildMlpAutoencoder({ family: 'dense', config, dataShape: context.dataShape, activation: config.activation });
  },
  codeImageShape,
};
