import { composeAutoencoder, stack, tf } from '@aekit/core';
import type { HiddenActivation, OutputActivation } from './schema.js';

/** Layout of a fully-connected autoencoder; see {@link buildMlp}. */
export interface MlpLayout {
  /** Number of input (and output) units. */
  inputSize: number;
  /** Widths of the encoder's hidden layers before the code, outermost first; the decoder mirrors them. */
  hiddenUnits: readonly number[];
  /** Number of code units. */
  latentDim: number;
  /** Activation of the hidden layers. */
  hiddenActivation: HiddenActivation;
  /** Activation of the code layer. */
  codeActivation: HiddenActivation;
  /**
   * Subtract 0.5 from the code before the decoder reads it (for sigmoid
   * codes). The models the decoder can express are the same (its first bias
   * absorbs the shift), but training no longer drives every unit to 1.
   */
  centerCode?: boolean;
  /** Activation of the output layer; `sigmoid` unless given. */
  output?: OutputActivation;
}

/** The three shared-layer models of a fully-connected autoencoder and its code layer. */
export interface MlpModels {
  encoder: tf.LayersModel;
  decoder: tf.LayersModel;
  model: tf.LayersModel;
  /** The dense layer whose output is the code (a contractive penalty needs its kernel). */
  codeLayer: tf.layers.Layer;
}

/**
 * Builds a symmetric fully-connected autoencoder
 * `input -> hidden... -> code -> reversed hidden... -> input` with a sigmoid
 * output, so reconstructions are probabilities for binary cross-entropy (or
 * a linear one for unbounded data, see {@link MlpLayout.output}).
 *
 * Layers are created in order, encoder first, so the registry's seeded
 * initialisation gives two families with the same layout the same weights.
 *
 * @param layout - Sizes and activations.
 */
export function buildMlp(layout: MlpLayout): MlpModels {
  const dense = (units: number, activation: HiddenActivation) => tf.layers.dense({ units, activation });
  const encoderHidden = layout.hiddenUnits.map((units) => dense(units, layout.hiddenActivation));
  const codeLayer = dense(layout.latentDim, layout.codeActivation);
  const decoderLayers = [
    ...(layout.centerCode ? [tf.layers.rescaling({ scale: 1, offset: -0.5 })] : []),
    ...[...layout.hiddenUnits].reverse().map((units) => dense(units, layout.hiddenActivation)),
    dense(layout.inputSize, layout.output ?? 'sigmoid'),
  ];
  const models = composeAutoencoder({
    inputShape: [layout.inputSize],
    encode: stack([...encoderHidden, codeLayer]),
    decode: stack(decoderLayers),
  });
  return { ...models, codeLayer };
}

/**
 * The live kernel variable of a built dense layer. Reading the variable
 * itself (not a copy of its value) lets gradients of a penalty on the kernel
 * reach the weights.
 *
 * @param layer - A dense layer that has been applied, so its weights exist.
 */
export function kernelOf(layer: tf.layers.Layer): tf.Variable {
  const kernel = layer.trainableWeights.find((w) => w.originalName.endsWith('/kernel'));
  if (!kernel) throw new Error(`layer ${layer.name} has no kernel; was it applied before reading it?`);
  return kernel.read() as tf.Variable;
}
