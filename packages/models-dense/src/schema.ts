import { binaryCrossEntropy, ConfigError, describeValues, meanSquaredError, positiveInt, z, type DataDescription, type LossTerm } from '@aekit/core';

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
 * for unbounded data such as standardised table columns (the default when
 * the data says its values are unbounded, see {@link outputForData}).
 */
export const OUTPUT_ACTIVATIONS = ['sigmoid', 'linear'] as const;

/** An output layer; see {@link OUTPUT_ACTIVATIONS}. */
export type OutputActivation = (typeof OUTPUT_ACTIVATIONS)[number];

/** Config field of the output layer: `sigmoid` by default, `linear` when the data is unbounded (see {@link outputForData}). */
export const outputField = () => z.enum(OUTPUT_ACTIVATIONS).default('sigmoid');

/**
 * The `configFor` hook of this package's families: the output layer the
 * data calls for when none is given (`linear` for unbounded values,
 * `sigmoid` for values in [0, 1]), and a refusal of a sigmoid output on
 * unbounded values, which binary cross-entropy cannot reconstruct.
 *
 * @param family - The family's name, for the field in errors.
 * @returns The hook: the config with `output` decided.
 */
export function outputForData(family: string) {
  return (config: Readonly<Record<string, unknown>>, data: DataDescription): Record<string, unknown> => {
    if (config.output === undefined) return { ...config, output: data.values === 'unbounded' ? 'linear' : 'sigmoid' };
    if (config.output === 'sigmoid' && data.values === 'unbounded') {
      throw new ConfigError(
        `${family}.output`,
        `'sigmoid' (binary cross-entropy) reconstructs values in [0, 1], and this data has ${describeValues(data)}; use 'linear' (mean squared error) or leave output out`,
      );
    }
    return { ...config };
  };
}

/** How the descriptions of this package's families say which output and loss they train with: the data decides. */
export const OUTPUT_BY_DATA = 'output sigmoid + binary cross-entropy on values in [0, 1], linear + mean squared error on unbounded data (tables)';

/** The reconstruction loss that goes with an output layer: binary cross-entropy for `sigmoid`, mean squared error for `linear`. */
export function reconstructionLoss(output: OutputActivation): LossTerm {
  return output === 'linear' ? meanSquaredError() : binaryCrossEntropy();
}
