import { z } from '@aekit/core';
import { activationField, latentDimField, outputField } from '../schema.js';

/** Config schema of the `dense` family. */
export const denseConfigSchema = z.strictObject({
  /** Code units; 32 as in the Keras tutorial (a compression factor of 24.5 for MNIST). */
  latentDim: latentDimField(),
  /** Activation of the code layer; `linear` gives a PCA-like model. */
  activation: activationField(),
  /** Output layer: `sigmoid` (binary cross-entropy) for data in [0, 1], `linear` (mean squared error) for standardised tables. */
  output: outputField(),
});

/** Config of the `dense` family, defaults filled in. */
export type DenseConfig = z.output<typeof denseConfigSchema>;
