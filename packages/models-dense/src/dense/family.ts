import { composeLoss, LayersAutoencoder, z, type LossTerm, type ModelFamily } from '@aekit/core';
import { buildMlp } from '../mlp.js';
import { activationField, latentDimField, outputField, reconstructionLoss, type OutputActivation } from '../schema.js';
import { codeImageShape, flatInputSize } from '../shapes.js';
import { TUTORIAL_TRAINING } from '../training.js';

/** Config schema of the {@link denseFamily}. */
export const denseConfigSchema = z.strictObject({
  /** Code units; 32 as in the Keras tutorial (a compression factor of 24.5 for MNIST). */
  latentDim: latentDimField(),
  /** Activation of the code layer; `linear` gives a PCA-like model. */
  activation: activationField(),
  /** Output layer: `sigmoid` (binary cross-entropy) for data in [0, 1], `linear` (mean squared error) for standardised tables. */
  output: outputField(),
});

/** Config of the {@link denseFamily}, defaults filled in. */
export type DenseConfig = z.output<typeof denseConfigSchema>;

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
    return buildSimpleAutoencoder('dense', config, context.dataShape);
  },
  codeImageShape,
};

/**
 * Builds the simple autoencoder `input -> latentDim -> input sigmoid` with
 * binary cross-entropy plus any regularizers, for `dense` and the families
 * that only add a penalty to it (`sparse`).
 *
 * @param family - Name recorded on the model.
 * @param config - Code size and activation (extra fields are kept in the model's config).
 * @param dataShape - Shape of one example; flattened.
 * @param regularizers - Loss terms added to the reconstruction error.
 */
export function buildSimpleAutoencoder(
  family: string,
  config: Omit<DenseConfig, 'output'> & { output?: OutputActivation },
  dataShape: readonly number[],
  ...regularizers: LossTerm[]
): LayersAutoencoder {
  const { encoder, decoder, model } = buildMlp({
    inputSize: flatInputSize(dataShape),
    hiddenUnits: [],
    latentDim: config.latentDim,
    hiddenActivation: config.activation,
    codeActivation: config.activation,
    output: config.output,
  });
  return new LayersAutoencoder({ family, config, encoder, decoder, model, loss: composeLoss(reconstructionLoss(config.output ?? 'sigmoid'), ...regularizers) });
}
