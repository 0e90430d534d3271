import { positiveInt, z } from '@aekit/core';
import { OUTPUT_ACTIVATIONS } from './tied-dense.js';

/** Activations the code layer may use. */
export const CODE_ACTIVATIONS = ['relu', 'sigmoid', 'tanh', 'linear'] as const;

/**
 * Config of the `{{family}}` family. Every field has a default, so `ae train {{family}}`
 * works with no `--config`; `latentDim` is named so that `--latent-dim N`
 * sets it.
 */
export const tiedConfigSchema = z.strictObject({
  /** Code units; 32 by default, as the `dense` family. */
  latentDim: positiveInt().default(32),
  /** Activation of the code layer; `relu` by default. */
  activation: z.enum(CODE_ACTIVATIONS).default('relu'),
  /**
   * Activation of the output: `sigmoid` (trained with binary cross-entropy)
   * or `linear` (trained with mean squared error; with a linear code too, the
   * model learns the principal subspace, like PCA).
   */
  outputActivation: z.enum(OUTPUT_ACTIVATIONS).default('sigmoid'),
});

/** A validated config of the `{{family}}` family; see {@link tiedConfigSchema}. */
export type TiedConfig = z.output<typeof tiedConfigSchema>;
