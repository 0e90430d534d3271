import { nonNegative, positiveInt, z } from '@aekit/core';

/**
 * Config field of the latent size, named `latentDim` so that
 * `ae train vae --latent-dim 20` works. Two by default, so the latent space
 * can be drawn as it is.
 */
export const latentDimField = () => positiveInt().default(2);

/** Config field of the KL weight: 1 is the plain VAE, above 1 a beta-VAE. */
export const betaField = () => nonNegative().default(1);

/** Config field of the KL warm-up length in epochs; 0 means no warm-up. */
export const klWarmupEpochsField = () => z.number().int().nonnegative().default(0);

/**
 * Config field of the free bits: in training, each latent dimension's KL
 * counts as at least this many nats (core's `klDivergence`), so that the
 * posterior does not collapse onto the prior; 0 means the plain KL.
 */
export const freeBitsField = () => nonNegative().default(0);

/** Activations a hidden layer may use; `relu` is the Keras examples' choice. */
export const HIDDEN_ACTIVATIONS = ['relu', 'elu', 'selu', 'tanh', 'sigmoid'] as const;

/** An activation of a hidden layer; see {@link HIDDEN_ACTIVATIONS}. */
export type HiddenActivation = (typeof HIDDEN_ACTIVATIONS)[number];
