import { binaryCrossEntropy, meanSquaredError, positiveInt, z, type LossTerm } from '@aekit/core';

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

/**
 * Output layers a fully-connected family may end in: `sigmoid` with binary
 * cross-entropy for data in [0, 1] (images), `linear` with mean squared error
 * for unbounded data such as standardised table columns (`ae train --data
 * records.csv` picks it).
 */
export const OUTPUT_ACTIVATIONS = ['sigmoid', 'linear'] as const;

/** An output layer; see {@link OUTPUT_ACTIVATIONS}. */
export type OutputActivation = (typeof OUTPUT_ACTIVATIONS)[number];

/** Config field of the output layer, `sigmoid` unless the data is unbounded. */
export const outputField = () => z.enum(OUTPUT_ACTIVATIONS).default('sigmoid');

/** The reconstruction loss that goes with an output layer: binary cross-entropy for `sigmoid`, mean squared error for `linear`. */
export function reconstructionLoss(output: OutputActivation): LossTerm {
  return output === 'linear' ? meanSquaredError() : binaryCrossEntropy();
}
