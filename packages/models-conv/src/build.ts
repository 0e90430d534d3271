import {
  binaryCrossEntropy,
  composeAutoencoder,
  composeLoss,
  ConfigError,
  LayersAutoencoder,
  sizeOfShape,
  stack,
  tf,
} from '@aekit/core';
import { resolvedDecoderFilters, type ConvConfig, type UpsamplingMode } from './config.js';
import { planDecoder } from './geometry.js';

/**
 * Builds a convolutional autoencoder for images `[height, width, channels]`
 * (the Keras blog design, generalised):
 *
 * - encoder: per entry of `encoderFilters` a `kernelSize` convolution (relu,
 *   'same') and a 2x2 max pooling ('same'); optionally a dense code of
 *   `latentDim` values;
 * - decoder: per entry of the decoder filters a convolution and a 2x2
 *   up-sampling (or one stride-2 transposed convolution), then a sigmoid
 *   convolution back to the input's channels;
 * - loss: binary cross-entropy.
 *
 * @param family - Name of the family building it, recorded on the model.
 * @param config - A validated config.
 * @param dataShape - Shape of one example; must be an image `[h, w, c]`.
 * @throws ConfigError naming `dataShape` for data that is not an image.
 */
export function buildConvAutoencoder(family: string, config: ConvConfig, dataShape: readonly number[]): LayersAutoencoder {
  if (dataShape.length !== 3) {
    throw new ConfigError('dataShape', `the ${family} family needs images [height, width, channels], got [${dataShape}]`);
  }
  const [height, width, channels] = dataShape;
  const { encoderFilters, kernelSize, upsampling, latentDim } = config;
  const smallestSide = 2 ** encoderFilters.length;
  if (height < smallestSide || width < smallestSide) {
    // Pooling rounds odd sizes up and the decoder crops back, so any size works down to one pixel per stage.
    const fits = Math.max(1, Math.floor(Math.log2(Math.min(height, width))));
    throw new ConfigError(
      `${family}.encoderFilters`,
      `${encoderFilters.length} pooling stages need images of at least ${smallestSide}x${smallestSide}; the images are ${width}x${height} (WIDTHxHEIGHT): ` +
        `use at most ${fits} encoderFilters entries, or --image-size ${smallestSide}x${smallestSide} or larger`,
    );
  }
  const geometry = planDecoder([height, width], encoderFilters.length, kernelSize, upsampling);
  const conv = (filters: number, padding: 'same' | 'valid' = 'same', activation: 'relu' | 'sigmoid' = 'relu') =>
    tf.layers.conv2d({ filters, kernelSize, padding, activation });

  const encoderLayers: tf.layers.Layer[] = encoderFilters.flatMap((filters) => [
    conv(filters),
    tf.layers.maxPooling2d({ poolSize: 2, padding: 'same' }),
  ]);
  const decoderLayers: tf.layers.Layer[] = [];
  if (latentDim !== null) {
    const maps = [...geometry.codeSize, encoderFilters[encoderFilters.length - 1]];
    // A linear code, as in most bottleneck autoencoders; the decoder's first
    // layer brings back the feature maps the convolutions expect.
    encoderLayers.push(tf.layers.flatten(), tf.layers.dense({ units: latentDim }));
    decoderLayers.push(tf.layers.dense({ units: sizeOfShape(maps), activation: 'relu' }), tf.layers.reshape({ targetShape: maps }));
  }
  const decoderFilters = resolvedDecoderFilters(config);
  decoderFilters.forEach((filters, i) => {
    const last = i === decoderFilters.length - 1;
    decoderLayers.push(...upStage(upsampling, filters, kernelSize, last && geometry.validLastConv ? 'valid' : 'same'));
  });
  if (geometry.crop) decoderLayers.push(tf.layers.cropping2D({ cropping: geometry.crop }));
  decoderLayers.push(conv(channels, 'same', 'sigmoid'));

  const parts = composeAutoencoder({
    inputShape: [height, width, channels],
    encode: stack(encoderLayers),
    decode: stack(decoderLayers),
  });
  return new LayersAutoencoder({ family, config, ...parts, loss: composeLoss(binaryCrossEntropy()) });
}

/** One decoder stage that doubles height and width. */
function upStage(mode: UpsamplingMode, filters: number, kernelSize: number, padding: 'same' | 'valid'): tf.layers.Layer[] {
  if (mode === 'transposed') {
    return [tf.layers.conv2dTranspose({ filters, kernelSize, strides: 2, padding: 'same', activation: 'relu' })];
  }
  // Keras blog order: convolve, then scale up; every up-sampling is thereby
  // followed by a convolution (the next stage's, or the output's).
  return [
    tf.layers.conv2d({ filters, kernelSize, padding, activation: 'relu' }),
    tf.layers.upSampling2d({ size: [2, 2], interpolation: mode }),
  ];
}
