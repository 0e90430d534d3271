import { tf } from '@aekit/core';

/** The two heads of a VAE encoder: a gaussian's mean and log-variance. */
export interface GaussianHeads {
  /** Mean of q(z | x), `[batch, latentDim]`. */
  mean: tf.SymbolicTensor;
  /** Log-variance of q(z | x), `[batch, latentDim]`. */
  logVar: tf.SymbolicTensor;
}

/** What {@link composeVae} builds a VAE's models from. */
export interface VaeGraph {
  /** Shape of one input example, e.g. `[784]` or `[28, 28, 1]`. */
  inputShape: readonly number[];
  /**
   * Builds the encoder path from the input to the mean and log-variance. Called once.
   *
   * @param input - The model's symbolic input.
   */
  encode(input: tf.SymbolicTensor): GaussianHeads;
  /**
   * Builds the decoder path from a code. Called twice (on the mean and on a
   * standalone code input), so it must reuse layers created beforehand; see
   * `stack` in `@aekit/core`.
   *
   * @param code - The symbolic code to decode.
   */
  decode(code: tf.SymbolicTensor): tf.SymbolicTensor;
}

/** The three tfjs models of a VAE, sharing their layers. */
export interface VaeModels {
  /** Input to `[mean, logVar]`. */
  encoder: tf.LayersModel;
  /** Code to reconstruction (the generator). */
  decoder: tf.LayersModel;
  /**
   * Input to `[reconstruction of the mean, mean, logVar]`: deterministic, and
   * holding every weight, the log-variance head included, so saving it saves
   * the whole VAE.
   */
  model: tf.LayersModel;
}

/**
 * Builds the encoder, decoder and full model of a variational autoencoder
 * from its encode and decode paths, in the manner of core's
 * `composeAutoencoder`. No sampling layer is in the graph: the
 * reparameterisation happens in {@link VariationalAutoencoder.forward}, so
 * the saved model is plain tfjs layers that any tfjs or ONNX runtime loads.
 *
 * @param graph - Input shape and the encode/decode paths.
 */
export function composeVae(graph: VaeGraph): VaeModels {
  const input = tf.input({ shape: [...graph.inputShape], name: 'input' });
  const { mean, logVar } = graph.encode(input);
  const encoder = tf.model({ inputs: input, outputs: [mean, logVar], name: 'encoder' });
  const latentShape = mean.shape.slice(1) as number[];
  const codeInput = tf.input({ shape: latentShape, name: 'code' });
  const decoder = tf.model({ inputs: codeInput, outputs: graph.decode(codeInput), name: 'decoder' });
  const model = tf.model({ inputs: input, outputs: [graph.decode(mean), mean, logVar], name: 'vae' });
  return { encoder, decoder, model };
}
