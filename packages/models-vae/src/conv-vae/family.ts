import { dataDefaults, stepsOfMnistEpochs, tf, type ModelFamily } from '@aekit/core';
import { buildVae } from '../build-vae.js';
import { imageInputShape, stridedSize } from '../data-shape.js';
import { reportVae } from '../report.js';
import { convVaeDataDefaults } from '../data-defaults.js';
import { convVaeConfigSchema } from './config.js';

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
  // The Keras convolutional VAE example's batches of 128 and Adam (1e-3), for 10 epochs of MNIST as a step budget
  // (the example's 30 took 4 hours on a 2-core CPU; see the README).
  training: { steps: stepsOfMnistEpochs(10, 128), epochs: 10, batchSize: 128 },
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

    const layers = config.filters.length;
    const last = config.filters[layers - 1];
    const smallest = [stridedSize(height, layers), stridedSize(width, layers), last];
    // Odd sizes round up on the way down; crop the doubled-back maps to the image's size.
    const excess = [smallest[0] * 2 ** layers - height, smallest[1] * 2 ** layers - width];
    const deconv = (filters: number, strides: number, layerActivation: 'relu' | 'sigmoid', name: string) =>
      tf.layers.conv2dTranspose({ filters, kernelSize: config.kernelSize, strides, padding: 'same', activation: layerActivation, name });
    const decoderLayers = (): tf.layers.Layer[] => {
      const decoder: tf.layers.Layer[] = [
        tf.layers.dense({ units: smallest[0] * smallest[1] * smallest[2], activation, name: 'decoder_dense' }),
        tf.layers.reshape({ targetShape: smallest, name: 'decoder_reshape' }),
        ...[...config.filters].reverse().map((filters, i) => deconv(filters, 2, activation, `decoder_deconv_${i + 1}`)),
      ];
      if (excess[0] > 0 || excess[1] > 0) {
        const halves = excess.map((e) => [Math.floor(e / 2), Math.ceil(e / 2)]) as [[number, number], [number, number]];
        decoder.push(tf.layers.cropping2D({ cropping: halves, name: 'decoder_crop' }));
      }
      decoder.push(deconv(channels, 1, 'sigmoid', 'decoder_output'));
      return decoder;
    };
    return buildVae({ family: 'conv-vae', config, dataShape: context.dataShape, inputShape: [height, width, channels], encoderLayers, decoderLayers });
  },
  // Images in [0, 1]; a latent space (and KL warm-up, free bits) that follows the image size.
  values: ['unit-interval'],
  configFor: dataDefaults(convVaeDataDefaults),
  report: reportVae,
};
