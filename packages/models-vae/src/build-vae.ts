import { stack, tf } from '@aekit/core';
import { composeVae } from './compose-vae.js';
import { vaeLoss, type VaeObjectiveOptions } from './objective.js';
import { VariationalAutoencoder } from './variational-autoencoder.js';

/** What a VAE family builds; see {@link buildVae}. */
export interface VaeSpec {
  /** Family name recorded on the model. */
  family: string;
  /** The family's validated config, kept in the model's metadata; its `latentDim`, `beta` and `klWarmupEpochs` shape the model and loss. */
  config: Readonly<Record<string, unknown>> & VaeObjectiveOptions & { latentDim: number };
  /** Shape of one example of the data, kept on the model for its pictures. */
  dataShape: readonly number[];
  /** Shape of the encoder's input (flat for the dense VAE). */
  inputShape: readonly number[];
  /** The encoder's layers from the input to the last hidden layer, applied in order. */
  encoderLayers: readonly tf.layers.Layer[];
  /** Creates the decoder's layers from the code to the output; called after the heads exist, so seeded initial weights follow the graph's order. */
  decoderLayers: () => tf.layers.Layer[];
}

/**
 * The one builder of this package's families: puts the linear `z_mean` and
 * `z_log_var` heads on the family's encoder layers, composes them with its
 * decoder layers ({@link composeVae}) and trains on the negative ELBO
 * ({@link vaeLoss}). `vae` and `conv-vae` differ only in their layers.
 *
 * @param spec - Family name, config, shapes and layers.
 */
export function buildVae(spec: VaeSpec): VariationalAutoencoder {
  const meanHead = tf.layers.dense({ units: spec.config.latentDim, activation: 'linear', name: 'z_mean' });
  const logVarHead = tf.layers.dense({ units: spec.config.latentDim, activation: 'linear', name: 'z_log_var' });
  const models = composeVae({
    inputShape: spec.inputShape,
    encode(input) {
      const hidden = stack(spec.encoderLayers)(input);
      return { mean: meanHead.apply(hidden) as tf.SymbolicTensor, logVar: logVarHead.apply(hidden) as tf.SymbolicTensor };
    },
    decode: stack(spec.decoderLayers()),
  });
  return new VariationalAutoencoder({ family: spec.family, config: spec.config, ...models, loss: vaeLoss(spec.config), dataShape: spec.dataShape });
}
