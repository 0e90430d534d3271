import { binaryCrossEntropy, composeAutoencoder, composeLoss, ConfigError, meanSquaredError, sizeOfShape, tf, type ModelFamily } from '@aekit/core';
import { tiedConfigSchema } from './config.js';
import { reportTied } from './report.js';
import { TiedAutoencoder } from './tied-autoencoder.js';
import { TiedDense } from './tied-dense.js';

// #region family
/**
 * `tied`: a one-layer autoencoder whose decoder is the transpose of its
 * encoder, `x -> act(x·W + b) -> sigmoid(z·Wᵀ + c)`. Half the weights of the
 * `dense` family for the same code size; tying acts as a regularizer and
 * makes each code unit one picture (a row of `Wᵀ`) that it both detects and
 * draws. The example plugin of aekit's plugin guide.
 */
export const tiedFamily: ModelFamily<typeof tiedConfigSchema> = {
  name: 'tied',
  description: 'tied-weights autoencoder: the decoder is the transpose of the encoder (half the weights of dense)',
  configSchema: tiedConfigSchema,
  training: { epochs: 10, batchSize: 256, learningRate: 0.002 },
  create(config, context) {
    if (context.dataShape.length === 0 || context.dataShape.some((d) => !Number.isInteger(d) || d <= 0)) {
      throw new ConfigError('dataShape', `expected positive integer dimensions, got [${context.dataShape.join(', ')}]`);
    }
    const inputSize = sizeOfShape(context.dataShape);
    // Layers are created once; composeAutoencoder applies `decode` twice
    // (after the encoder, and on a standalone code input) with the same layer.
    const encoderLayer = tf.layers.dense({ units: config.latentDim, activation: config.activation, name: 'tied_encoder' });
    const decoderLayer = new TiedDense({
      source: encoderLayer,
      units: inputSize,
      activation: config.outputActivation,
      name: 'tied_decoder',
    });
    const models = composeAutoencoder({
      inputShape: [inputSize],
      encode: (input) => encoderLayer.apply(input) as tf.SymbolicTensor,
      decode: (code) => decoderLayer.apply(code) as tf.SymbolicTensor,
    });
    const reconstruction = config.outputActivation === 'sigmoid' ? binaryCrossEntropy() : meanSquaredError();
    return new TiedAutoencoder(
      { family: 'tied', config, ...models, loss: composeLoss(reconstruction) },
      encoderLayer,
      context.dataShape,
    );
  },
  codeImageShape: (autoencoder) => codeGrid(sizeOfShape(autoencoder.latentShape)),
  report: reportTied,
};
// #endregion family

/**
 * The most nearly square `[height, width]` grid of `units` cells, for drawing
 * a code as a small picture between digits and their reconstructions.
 *
 * @param units - Number of code units.
 */
export function codeGrid(units: number): [number, number] {
  let width = Math.max(1, Math.floor(Math.sqrt(units)));
  while (units % width !== 0) width--;
  return [units / width, width];
}
