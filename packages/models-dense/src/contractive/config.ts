import { nonNegative, z } from '@aekit/core';
import { latentDimField, outputField } from '../schema.js';

/** Config schema of the `contractive` family. */
export const contractiveConfigSchema = z.strictObject({
  /** Code units. */
  latentDim: latentDimField(),
  /** Weight of the contractive penalty, `lambda * mean ||J||_F^2`. */
  lambda: nonNegative().default(1e-4),
  /** Output layer: `sigmoid` (binary cross-entropy) for data in [0, 1], `linear` (mean squared error) for standardised tables. */
  output: outputField(),
});

/** Config of the `contractive` family, defaults filled in. */
export type ContractiveConfig = z.output<typeof contractiveConfigSchema>;
