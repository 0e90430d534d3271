import {
  composeLoss,
  ConfigError,
  LayersAutoencoder,
  meanSquaredError,
  stack,
  tf,
} from '@aekit/core';
import type { DocDenoiserConfig } from './config.js';

/** Name of the family, as on the command line. */
export const DOC_DENOISER = 'doc-denoiser';

/**
 * A fully convolutional denoising autoencoder for grayscale pages. It has
 * no dense layer, so its weights fit images of any size: besides the
 * fixed-size `model` it is trained and saved as, it keeps `anySize`, the same
 * layers (and so the same weights) on an input `[null, null, 1]`, for
 * cleaning whole tiles of a page.
 */
export class DocumentDenoiser extends LayersAutoencoder {
  /** The network on inputs of any height and width that are multiples of {@link sizeMultiple}. */
  readonly anySize: tf.LayersModel;
  /** Heights and widths must be multiples of this (2 to the number of stages). */
  readonly sizeMultiple: number;

  /**
   * @param config - Validated family config.
   * @param dataShape - Shape of one training example, `[height, width, 1]`.
   */
  constructor(config: DocDenoiserConfig, dataShape: readonly number[]) {
    const multiple = 2 ** config.filters.length;
    const [height, width, channels] = dataShape;
    if (dataShape.length !== 3 || channels !== 1 || height % multiple !== 0 || width % multiple !== 0) {
      throw new ConfigError(
        'dataShape',
        `${DOC_DENOISER} with ${config.filters.length} stages needs grayscale images [h, w, 1] with h and w multiples of ${multiple}, got [${dataShape}]`,
      );
    }
    const { encoder, decoder } = buildLayers(config);
    const input = tf.input({ shape: [height, width, 1], name: 'input' });
    const code = encoder(input);
    const encoderModel = tf.model({ inputs: input, outputs: code, name: 'encoder' });
    const codeInput = tf.input({ shape: code.shape.slice(1) as number[], name: 'code' });
    const decoderModel = tf.model({ inputs: codeInput, outputs: decoder(codeInput), name: 'decoder' });
    const model = tf.model({ inputs: input, outputs: decoder(code), name: 'autoencoder' });
    super({ family: DOC_DENOISER, config, encoder: encoderModel, decoder: decoderModel, model, loss: composeLoss(meanSquaredError()) });
    const page = tf.input({ shape: [null, null, 1], name: 'page' });
    this.anySize = tf.model({ inputs: page, outputs: decoder(encoder(page)), name: 'any_size' });
    this.sizeMultiple = multiple;
  }


  /**
   * Cleans a batch of images `[n, h, w, 1]` of any size whose sides are
   * multiples of {@link sizeMultiple}. The caller owns the result.
   *
   * @param images - Dirty images `[n, h, w, 1]`, values in [0, 1].
   */
  denoise(images: tf.Tensor): tf.Tensor {
    return tf.tidy(() => this.anySize.apply(images, { training: false }) as tf.Tensor);
  }
}

/**
 * The layers of the network, created once and applied to each input
 * (training size, code, any size) so all models share the weights.
 *
 * Encoder stage: a convolution, then a stride-2 convolution that halves
 * the resolution. Decoder stage: a stride-2 transposed convolution that
 * doubles it, then a convolution. A last convolution with a sigmoid gives
 * the page in [0, 1].
 */
function buildLayers(config: DocDenoiserConfig) {
  const kernelSize = config.kernelSize;
  const conv = (filters: number, strides = 1) => tf.layers.conv2d({ filters, kernelSize, strides, padding: 'same', activation: 'relu' });
  const encoderLayers = config.filters.flatMap((filters) => [conv(filters), conv(filters, 2)]);
  const reversed = [...config.filters].reverse();
  const decoderLayers = reversed.flatMap((filters, i) => [
    tf.layers.conv2dTranspose({ filters, kernelSize, strides: 2, padding: 'same', activation: 'relu' }),
    conv(reversed[i + 1] ?? filters),
  ]);
  // Pages are mostly white paper: starting the output near white (sigmoid(3) = 0.95) rather
  // than mid-grey saves the optimizer the hundreds of steps it needs to move the bias there.
  decoderLayers.push(
    tf.layers.conv2d({ filters: 1, kernelSize, padding: 'same', activation: 'sigmoid', biasInitializer: tf.initializers.constant({ value: 3 }) }),
  );
  return { encoder: stack(encoderLayers), decoder: stack(decoderLayers) };
}
