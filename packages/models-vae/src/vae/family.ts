import { positiveInt, stack, tf, z, type ModelFamily } from '@aekit/core';
import { composeVae } from '../compose-vae.js';
import { vaeLoss } from '../objective.js';
import { reportVae } from '../report.js';
import { VariationalAutoencoder } from '../variational-autoencoder.js';
import { flatInputSize } from './data-shape.js';
import { betaField, HIDDEN_ACTIVATIONS, klWarmupEpochsField, latentDimField } from './schema.js';

/**
 * Config of the dense `vae` family. Every field has a default; the defaults
 * are the classic Keras example: 784 -> 512 -> 2 -> 512 -> 784.
 */
export const vaeConfigSchema = z.strictObject({
  /** Size of the latent space; 2 by default, so it can be drawn. */
  latentDim: latentDimField(),
  /** Units of the encoder's hidden layers, input side first; the decoder mirrors them. `[512]` by default. */
  hidden: z.array(positiveInt()).min(1).default(() => [512]),
  /** Activation of the hidden layers; `relu` by default. */
  activation: z.enum(HIDDEN_ACTIVATIONS).default('relu'),
  /** Weight of the KL term; 1 by default (above 1: a beta-VAE). */
  beta: betaField(),
  /** Epochs over which the KL weight ramps up from 0 to `beta`; 0 (no warm-up) by default. */
  klWarmupEpochs: klWarmupEpochsField(),
});

/** A validated config of the `vae` family; see {@link vaeConfigSchema}. */
export type VaeConfig = z.output<typeof vaeConfigSchema>;

/**
 * `vae`: a variational autoencoder with dense layers. The encoder maps a
 * flattened example through the hidden layers to two heads, `z_mean` and
 * `z_log_var`; the decoder mirrors the hidden layers and ends in a sigmoid.
 * Trained on the negative ELBO (binary cross-entropy summed over pixels plus
 * `beta` times the KL divergence to the unit gaussian), it generates new
 * examples with {@link VariationalAutoencoder.sample}.
 */
export const vaeFamily: ModelFamily<typeof vaeConfigSchema> = {
  name: 'vae',
  description: 'variational autoencoder with dense layers (784-512-2 by default): samples, latent map, manifold',
  configSchema: vaeConfigSchema,
  // The Keras example's settings: 50 epochs of batches of 128 with Adam (1e-3).
  // One thread: a second did not pay for exchanging weights and gradients (`pnpm bench --families vae`).
  training: { epochs: 50, batchSize: 128, workers: 1 },
  create(config, context) {
    const inputSize = flatInputSize(context.dataShape);
    const dense = (units: number, name: string, activation: string = config.activation) =>
      tf.layers.dense({ units, activation: activation as 'relu', name });
    const encoderHidden = config.hidden.map((units, i) => dense(units, `encoder_dense_${i + 1}`));
    const meanHead = dense(config.latentDim, 'z_mean', 'linear');
    const logVarHead = dense(config.latentDim, 'z_log_var', 'linear');
    const decoderLayers = [
      ...[...config.hidden].reverse().map((units, i) => dense(units, `decoder_dense_${i + 1}`)),
      dense(inputSize, 'decoder_output', 'sigmoid'),
    ];
    const models = composeVae({
      inputShape: [inputSize],
      encode(input) {
        const hidden = stack(encoderHidden)(input);
        return { mean: meanHead.apply(hidden) as tf.SymbolicTensor, logVar: logVarHead.apply(hidden) as tf.SymbolicTensor };
      },
      decode: stack(decoderLayers),
    });
    return new VariationalAutoencoder({
      family: 'vae',
      config,
      ...models,
      loss: vaeLoss(config),
      dataShape: context.dataShape,
    });
  },
  report: reportVae,
};
