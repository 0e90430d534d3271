import { dataDefaults, stepsOfMnistEpochs, tf, type ModelFamily } from '@aekit/core';
import { buildVae } from '../build-vae.js';
import { flatInputSize } from '../data-shape.js';
import { reportVae } from '../report.js';
import { vaeDataDefaults } from '../data-defaults.js';
import { vaeConfigSchema } from './config.js';

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
  // The Keras example's settings: 50 epochs of MNIST in batches of 128 with Adam (1e-3), as a step budget.
  // One thread: a second did not pay for exchanging weights and gradients (`pnpm bench --families vae`).
  training: { steps: stepsOfMnistEpochs(50, 128), epochs: 50, batchSize: 128, workers: 1 },
  create(config, context) {
    const inputSize = flatInputSize(context.dataShape);
    const dense = (units: number, name: string, activation: string = config.activation) =>
      tf.layers.dense({ units, activation: activation as 'relu', name });
    return buildVae({
      family: 'vae',
      config,
      dataShape: context.dataShape,
      inputShape: [inputSize],
      encoderLayers: config.hidden.map((units, i) => dense(units, `encoder_dense_${i + 1}`)),
      decoderLayers: () => [
        ...[...config.hidden].reverse().map((units, i) => dense(units, `decoder_dense_${i + 1}`)),
        dense(inputSize, 'decoder_output', 'sigmoid'),
      ],
    });
  },
  // Images in [0, 1]; a latent space (and KL warm-up, free bits) that follows the image size.
  values: ['unit-interval'],
  configFor: dataDefaults(vaeDataDefaults),
  report: reportVae,
};
