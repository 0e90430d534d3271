import { LayersAutoencoder, sizeOfShape, tf, type LayersAutoencoderParts } from '@aekit/core';
import { sourceKernel } from './tied-dense.js';

/**
 * The autoencoder the `{{family}}` family builds: a {@link LayersAutoencoder}
 * whose decoder reuses the encoder's kernel, plus access to that kernel as
 * pictures.
 */
export class TiedAutoencoder extends LayersAutoencoder {
  /** Shape of one example of the data, e.g. `[28, 28, 1]`. */
  readonly dataShape: readonly number[];
  private readonly encoderLayer: tf.layers.Layer;

  /**
   * @param parts - The three models and the loss, as for {@link LayersAutoencoder}.
   * @param encoderLayer - The dense layer whose kernel both halves share.
   * @param dataShape - Shape of one example of the data.
   */
  constructor(parts: LayersAutoencoderParts, encoderLayer: tf.layers.Layer, dataShape: readonly number[]) {
    super(parts);
    this.encoderLayer = encoderLayer;
    this.dataShape = [...dataShape];
  }

  /**
   * The shared kernel as one picture per code unit, `[latentDim, ...dataShape]`:
   * what each unit looks for in the input, and what it adds to the output.
   * The caller disposes the tensor.
   */
  filters(): tf.Tensor {
    return tf.tidy(() => {
      const kernel = sourceKernel(this.encoderLayer).read();
      return tf.transpose(kernel).reshape([this.latentShape[0], ...this.dataShape]);
    });
  }

  /** Number of weights of the model, the shared kernel counted once. */
  parameterCount(): number {
    return this.model.weights.reduce((n, w) => n + sizeOfShape(w.shape as number[]), 0);
  }
}
