import { nonNegative, z } from '@aekit/core';
import { activationField, latentDimField, outputField } from '../schema.js';

/** Config schema of the `sparse` family. */
export const sparseConfigSchema = z.strictObject({
  /** Code units; 32 as in the Keras tutorial. */
  latentDim: latentDimField(),
  /** Activation of the code layer. */
  activation: activationField(),
  /** Weight of the L1 activity penalty on the code (Keras' `activity_regularizer=l1(...)`). */
  l1: nonNegative().default(1e-5),
  /** Output layer: `sigmoid` (binary cross-entropy) for data in [0, 1], `linear` (mean squared error) for standardised tables. */
  output: outputField(),
});

/** Config of the `sparse` family, defaults filled in. */
export type SparseConfig = z.output<typeof sparseConfigSchema>;
