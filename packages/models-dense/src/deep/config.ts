import { positiveInt, z } from '@aekit/core';
import { activationField, latentDimField, outputField } from '../schema.js';

/** Config schema of the `deep` family. */
export const deepConfigSchema = z.strictObject({
  /** Code units; 32 as in the Keras tutorial. */
  latentDim: latentDimField(),
  /**
   * Widths of the encoder's hidden layers from the input inwards; the decoder
   * mirrors them. Its length is the depth of each half before the code.
   */
  hiddenUnits: z.array(positiveInt()).min(1).default([128, 64]),
  /** Activation of the hidden and code layers. */
  activation: activationField(),
  /** Output layer: `sigmoid` (binary cross-entropy) for data in [0, 1], `linear` (mean squared error) for standardised tables. */
  output: outputField(),
});

/** Config of the `deep` family, defaults filled in. */
export type DeepConfig = z.output<typeof deepConfigSchema>;
