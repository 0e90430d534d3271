import { composeLoss, LayersAutoencoder, type LossTerm, type tf } from '@aekit/core';
import { buildMlp } from './mlp.js';
import { reconstructionLoss, type HiddenActivation, type OutputActivation } from './schema.js';
import { flatInputSize } from './shapes.js';

/** What a fully-connected family builds; see {@link buildMlpAutoencoder}. */
export interface MlpAutoencoderSpec {
  /** Family name recorded on the model. */
  family: string;
  /** The family's validated config, kept in the model's metadata as it is. */
  config: Readonly<Record<string, unknown>> & { latentDim: number; output?: OutputActivation };
  /** Shape of one example; flattened. */
  dataShape: readonly number[];
  /** Widths of the encoder's hidden layers, outermost first; none by default. */
  hiddenUnits?: readonly number[];
  /** Activation of the hidden and code layers. */
  activation: HiddenActivation;
  /** Subtract 0.5 from the code before the decoder reads it (sigmoid codes). */
  centerCode?: boolean;
  /** Loss terms added to the reconstruction error, given the code layer (whose kernel a contractive penalty reads). */
  penalties?: (codeLayer: tf.layers.Layer) => LossTerm[];
}

/**
 * The one builder of this package's families: a symmetric {@link buildMlp}
 * autoencoder trained on the reconstruction loss its output layer calls for
 * (binary cross-entropy for `sigmoid`, mean squared error for `linear`) plus
 * the family's penalties. The families differ only in the spec they pass.
 *
 * @param spec - Family name, config, data shape, layout and penalties.
 */
export function buildMlpAutoencoder(spec: MlpAutoencoderSpec): LayersAutoencoder {
  const output = spec.config.output ?? 'sigmoid';
  const { encoder, decoder, model, codeLayer } = buildMlp({
    inputSize: flatInputSize(spec.dataShape),
    hiddenUnits: spec.hiddenUnits ?? [],
    latentDim: spec.config.latentDim,
    hiddenActivation: spec.activation,
    codeActivation: spec.activation,
    centerCode: spec.centerCode,
    output,
  });
  const loss = composeLoss(reconstructionLoss(output), ...(spec.penalties?.(codeLayer) ?? []));
  return new LayersAutoencoder({ family: spec.family, config: spec.config, encoder, decoder, model, loss });
}
