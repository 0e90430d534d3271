import { positiveInt, z } from '@aekit/core';

/**
 * Activations a hidden or code layer may use. `relu` is the tutorials'
 * choice; `linear` turns the simple autoencoder into a PCA-like model.
 */
export const HIDDEN_ACTIVATIONS = ['relu', 'elu', 'selu', 'tanh', 'sigmoid', 'linear'] as const;

/** An activation of a hidden or code layer; see {@link HIDDEN_ACTIVATIONS}. */
export type HiddenActivation = (typeof HIDDEN_ACTIVATIONS)[number];

/** Config field of the code size, named `latentDim` so `--latent-dim` works. */
export const latentDimField = () => positiveInt().default(32);

/** Config field of a hidden or code layer's activation. */
export const activationField = () => z.enum(HIDDEN_ACTIVATIONS).default('relu');
