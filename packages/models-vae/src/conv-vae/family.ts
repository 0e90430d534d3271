import { positiveInt, stack, tf, z, type ModelFamily } from '@aekit/core';
import { composeVae } from '../compose-vae.js';
import { vaeLoss } from '../objective.js';
import { reportVae } from '../report.js';
import { VariationalAutoencoder } from '../variational-autoencoder.js';
import { imageInputShape, stridedSize } from './data-shape.js';
import { betaField, HIDDEN_ACTIVATIONS, klWarmupEpochsField, latentDimField } from './schema.js';

/**
 * Config of the convolutional `conv-vae` family. Every field has a default;
 * the defaults are the Keras convolutional VAE example: two stride-2
 * convolutions of 32 and 64 filters, a dense layer of 16, a 2-D latent space.
 */
export const convVaeConfigSchema = z.strictObject({
  /** Size of the latent space; 2 by default, so it can be drawn. */
  latentDim: latentDimField(),
  /**
   * Filters of the encoder's stride-2 convolutions, input side first; the
   * decoder's transposed convolutions mirror them. Each halves the height
   * and width, so the images' sides must be divisible by `2 ** filters.length`.
   */
  filters: z.array(positiveInt()).min(1).default(() => [32, 64]),
  /** Side of the square convolution kernels; 3 by default. */
  kernelSize: positiveInt().default(3),
  /** Units of the dense layer between the convolutions and the latent heads; 0 for none. 16 by default. */
  denseUnits: z.number().int().nonnegative().default(16),
  /** Activation of the hidden layers; `relu` by default. */
  activation: z.enum(HIDDEN_ACTIVATIONS).default('relu'),
  /** Weight of the KL term; 1 by default (above 1: a beta-VAE). */
  beta: betaField(),
  /** Epochs over which the KL weight ramps up from 0 to `beta`; 0 (no warm-up) by default. */
  klWarmupEpochs: klWarmupEpochsField(),
});

/** A validated config of the `conv-vae` family; see {@link convVaeConfigSchema}. */
export type ConvVaeConfig = z.output<typeof convVaeConfigSchema>;

/**
 * `conv-vae`: a variational autoencoder with a convolutional encoder (stride-2
 * convolutions, then a dense layer, then the `z_mean` and `z_log_var` heads)
 * and a decoder that mirrors it (dense, reshape, stride-2 transposed
 * convolutions, a sigmoid transposed convolution to the image's channels).
 * Same objective and pictures as `vae`.
 */
export const convVaeFamily: ModelFamily<typeof convVaeConfigSchema> = {
  name: 'conv-vae',
  description: 'variational autoencoder with convolutional encoder and decoder (Conv 32/64, stride 2)',
  configSchema: convVaeConfigSchema,
  // The Keras convolutional VAE example: 30 epochs of batches of 128, Adam (1e-3).
  training: { epochs: 30, batchSize: 128 },
  create(config, context) {
    const [height, width, channels] = imageInputShape(context.dataShape, config.filters.length, 'conv-vae.filters');
    const activation = config.activation as 'relu';
    const conv = (filters: number, name: string) =>
      tf.layers.conv2d({ filters, kernelSize: config.kernelSize, strides: 2, padding: 'same', activation, name });
    const encoderLayers: tf.layers.Layer[] = [
      ...config.filters.map((filters, i) => conv(filters, `encoder_conv_${i + 1}`)),
      tf.layers.flatten({ name: 'encoder_flatten' }),
    ];
    if (config.denseUnits > 0) encoderLayers.push(tf.layers.dense({ units: config.denseUnits, activation, name: 'encoder_dense' }));
    const meanHead = tf.layers.dense({ units: config.latentDim, name: 'z_mean' });
    const logVarHead = tf.layers.dense({ units: config.latentDim, name: 'z_log_var' });

    const layers = config.filters.length;
    const last = config.filters[layers - 1];
    const smallest = [stridedSize(height, layers), stridedSize(width, layers), last];
    // Odd sizes round up on the way down; crop the doubled-back maps to the image's size.
    const excess = [smallest[0] * 2 ** layers - height, smallest[1] * 2 ** layers - width];
    const deconv = (filters: number, strides: number, layerActivation: 'relu' | 'sigmoid', name: string) =>
      tf.layers.conv2dTranspose({ filters, kernelSize: config.kernelSize, strides, padding: 'same', activation: layerActivation, name });
    const decoderLayers: tf.layers.Layer[] = [
      tf.layers.dense({ units: smallest[0] * smallest[1] * smallest[2], activation, name: 'decoder_dense' }),
      tf.layers.reshape({ targetShape: smallest, name: 'decoder_reshape' }),
      ...[...config.filters].reverse().map((filters, i) => deconv(filters, 2, activation, `decoder_deconv_${i + 1}`)),
    ];
    if (excess[0] > 0 || excess[1] > 0) {
      const halves = excess.map((e) => [Math.floor(e / 2), Math.ceil(e / 2)]) as [[number, number], [number, number]];
      decoderLayers.push(tf.layers.cropping2D({ cropping: halves, name: 'decoder_crop' }));
    }
    decoderLayers.push(deconv(channels, 1, 'sigmoid', 'decoder_output'));
    const models = composeVae({
      inputShape: [height, width, channels],
      encode(input) {
        const hidden = stack(encoderLayers)(input);
        return { mean: meanHead.apply(hidden) as tf.SymbolicTensor, logVar: logVarHead.apply(hidden) as tf.SymbolicTensor };
      },
      decode: stack(decoderLayers),
    });
    return new VariationalAutoencoder({
      family: 'conv-vae',
      config,
      ...models,
      loss: vaeLoss(config),
      dataShape: context.dataShape,
    });
  },
  report: reportVae,
};
