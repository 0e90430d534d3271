import { tf } from './tf.js';
import { ConfigError } from './errors.js';
import type { Loss } from './loss.js';

/** Maps inputs to codes. */
export interface Encoder {
  /** The encoder as a standalone tfjs model (input to code). */
  readonly model: tf.LayersModel;
  /**
   * Encodes a batch `[n, ...inputShape]` to codes `[n, ...latentShape]`.
   *
   * @param x - Inputs `[n, ...inputShape]`.
   */
  encode(x: tf.Tensor): tf.Tensor;
}

/** Maps codes back to inputs. */
export interface Decoder {
  /** The decoder as a standalone tfjs model (code to reconstruction). */
  readonly model: tf.LayersModel;
  /**
   * Decodes a batch of codes `[n, ...latentShape]`.
   *
   * @param z - Codes `[n, ...latentShape]`.
   */
  decode(z: tf.Tensor): tf.Tensor;
}

/**
 * Everything one training step computes from a batch: the reconstruction,
 * the code, and whatever else a family's loss terms need (a VAE's mean and
 * log-variance, a sequence model's padding mask).
 */
export interface ForwardPass {
  /** The (possibly corrupted) batch the model saw. */
  readonly input: tf.Tensor;
  /** The reconstruction, same shape as the input. */
  readonly output: tf.Tensor;
  /** The code the decoder read. */
  readonly code: tf.Tensor;
  /** Further named tensors for loss terms, e.g. `mean`, `logVar`, `mask`. */
  readonly extras: Readonly<Record<string, tf.Tensor>>;
}

/** Options of {@link Autoencoder.forward}. */
export interface ForwardOptions {
  /** True inside a training step (dropout, sampling and the like are active). */
  training: boolean;
  /** Seed for any random draw the forward pass makes (a VAE's sampling). */
  seed: number;
  /**
   * True lengths of padded sequences, one per example: from the dataset's
   * `lengths` in training, or given by hand for a padded batch.
   */
  lengths?: ArrayLike<number>;
}

/**
 * A trained or trainable autoencoder: an encoder, a decoder, the loss it is
 * trained with, and the full model as one tfjs graph for saving and export.
 */
export interface Autoencoder {
  /** Name of the family that built it, e.g. `dense`. */
  readonly family: string;
  /** The validated family config it was built from. */
  readonly config: Readonly<Record<string, unknown>>;
  /** Shape of one input example, e.g. `[784]` or `[28, 28, 1]`. */
  readonly inputShape: readonly number[];
  /** Shape of one code, e.g. `[32]` or `[4, 4, 8]`. */
  readonly latentShape: readonly number[];
  /** The encoder half. */
  readonly encoder: Encoder;
  /** The decoder half. */
  readonly decoder: Decoder;
  /**
   * The deterministic full autoencoder as one tfjs model. It holds every
   * weight of the encoder and decoder, so saving it saves the autoencoder.
   */
  readonly model: tf.LayersModel;
  /** The training objective. */
  readonly loss: Loss;
  /** The variables the trainer updates. */
  readonly trainableVariables: tf.Variable[];
  /**
   * Runs the model for training or evaluation and returns what the loss needs.
   *
   * @param x - Inputs `[n, ...inputShape]` (noisy ones when training a denoiser).
   * @param options - Whether this is a training pass, the seed of random draws, and sequence lengths.
   */
  forward(x: tf.Tensor, options: ForwardOptions): ForwardPass;
  /**
   * Encodes a batch; same as `encoder.encode`.
   *
   * @param x - Inputs `[n, ...inputShape]`.
   */
  encode(x: tf.Tensor): tf.Tensor;
  /**
   * Decodes a batch of codes; same as `decoder.decode`.
   *
   * @param z - Codes `[n, ...latentShape]`.
   */
  decode(z: tf.Tensor): tf.Tensor;
  /**
   * Encodes and decodes a batch.
   *
   * @param x - Inputs `[n, ...inputShape]`.
   */
  reconstruct(x: tf.Tensor): tf.Tensor;
  /** Frees the weights. */
  dispose(): void;
}

/** What {@link LayersAutoencoder} is built from. */
export interface LayersAutoencoderParts {
  family: string;
  config: Readonly<Record<string, unknown>>;
  encoder: tf.LayersModel;
  decoder: tf.LayersModel;
  model: tf.LayersModel;
  loss: Loss;
}

/**
 * The usual {@link Autoencoder}: an encoder and a decoder that are tfjs
 * layers models sharing their layers with a full model. Families with a
 * special forward pass (a VAE's sampling) extend it and override `forward`.
 *
 * @example
 * ```ts
 * import { binaryCrossEntropy, composeAutoencoder, composeLoss, LayersAutoencoder, stack, tf } from '@aekit/core';
 *
 * const encoder = [tf.layers.dense({ units: 32, activation: 'relu' })];
 * const decoder = [tf.layers.dense({ units: 784, activation: 'sigmoid' })];
 * const models = composeAutoencoder({ inputShape: [784], encode: stack(encoder), decode: stack(decoder) });
 * const ae = new LayersAutoencoder({ family: 'tiny', config: { latentDim: 32 }, ...models, loss: composeLoss(binaryCrossEntropy()) });
 * ae.latentShape; // [32]
 * ae.reconstruct(tf.zeros([2, 784])).shape; // [2, 784]
 * ```
 */
export class LayersAutoencoder implements Autoencoder {
  readonly family: string;
  readonly config: Readonly<Record<string, unknown>>;
  readonly inputShape: readonly number[];
  readonly latentShape: readonly number[];
  readonly encoder: Encoder;
  readonly decoder: Decoder;
  readonly model: tf.LayersModel;
  readonly loss: Loss;

  /** @param parts - The models and loss; see {@link composeAutoencoder}. */
  constructor(parts: LayersAutoencoderParts) {
    this.family = parts.family;
    this.config = parts.config;
    this.model = parts.model;
    this.loss = parts.loss;
    this.inputShape = shapeOf(parts.encoder.inputs[0].shape);
    this.latentShape = shapeOf(parts.encoder.outputs[0].shape);
    this.encoder = { model: parts.encoder, encode: (x) => infer(parts.encoder, checkBatch(x, this.inputShape, 'x')) };
    this.decoder = { model: parts.decoder, decode: (z) => infer(parts.decoder, checkBatch(z, this.latentShape, 'z')) };
  }

  get trainableVariables(): tf.Variable[] {
    return this.model.trainableWeights.map((w) => w.read() as tf.Variable);
  }

  forward(x: tf.Tensor, options: ForwardOptions): ForwardPass {
    checkBatch(x, this.inputShape, 'x');
    const code = this.encoder.model.apply(x, { training: options.training }) as tf.Tensor;
    const output = this.decoder.model.apply(code, { training: options.training }) as tf.Tensor;
    return { input: x, output, code, extras: {} };
  }

  encode(x: tf.Tensor): tf.Tensor {
    return this.encoder.encode(x);
  }

  decode(z: tf.Tensor): tf.Tensor {
    return this.decoder.decode(z);
  }

  reconstruct(x: tf.Tensor): tf.Tensor {
    return infer(this.model, checkBatch(x, this.inputShape, 'x'));
  }

  /**
   * Frees the weights. tfjs counts how many graphs a layer was applied in:
   * the encoder's layers go with the full model, but the decoder's layers
   * were applied twice (in the decoder and in the full model), so the
   * decoder is disposed too.
   */
  dispose(): void {
    this.model.dispose();
    this.decoder.model.dispose();
  }
}

/**
 * Checks that `x` is a float32 batch of examples of the given shape, so a
 * wrong input gets a message naming the expected shape instead of an error
 * from deep inside a layer.
 *
 * @param x - The batch.
 * @param exampleShape - Shape of one example (-1 for any size).
 * @param field - Name of the argument, for the message.
 * @returns `x`, for chaining.
 * @throws ConfigError naming the field, the expected and the actual shape or dtype.
 * @example
 * ```ts
 * import { checkBatch, tf } from '@aekit/core';
 *
 * checkBatch(tf.zeros([4, 28, 28, 1]), [28, 28, 1], 'x'); // returns the batch
 * checkBatch(tf.zeros([4, 28, 28]), [28, 28, 1], 'x'); // throws ConfigError 'x: expected a batch of shape [n, 28, 28, 1], got [4, 28, 28]'
 * ```
 */
export function checkBatch(x: tf.Tensor, exampleShape: readonly number[], field: string): tf.Tensor {
  const expected = `[n, ${exampleShape.map((d) => (d < 0 ? '?' : d)).join(', ')}]`;
  if (x.dtype !== 'float32') throw new ConfigError(field, `expected a float32 batch ${expected}, got dtype ${x.dtype}`);
  const fits = x.rank === exampleShape.length + 1 && exampleShape.every((d, i) => d < 0 || x.shape[i + 1] === d);
  if (!fits) throw new ConfigError(field, `expected a batch of shape ${expected}, got [${x.shape.join(', ')}]`);
  return x;
}

/** Runs a model in inference mode on a whole batch at once (no 32-row split as in `predict`). */
function infer(model: tf.LayersModel, x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => model.apply(x, { training: false }) as tf.Tensor);
}

function shapeOf(shape: readonly (number | null)[]): number[] {
  return shape.slice(1).map((d) => d ?? -1);
}

/**
 * Applies layers one after another; a convenience for `decode` functions,
 * which must reuse the same layer objects every time they are called.
 *
 * @param layers - Layers created once, in order.
 * @example
 * ```ts
 * import { stack, tf } from '@aekit/core';
 *
 * // Created once, so that every call of `decode` reuses the same weights.
 * const layers = [tf.layers.dense({ units: 128, activation: 'relu' }), tf.layers.dense({ units: 784, activation: 'sigmoid' })];
 * const decode = stack(layers);
 * decode(tf.input({ shape: [32] })).shape; // [null, 784]
 * ```
 */
export function stack(layers: readonly tf.layers.Layer[]): (x: tf.SymbolicTensor) => tf.SymbolicTensor {
  return (x) => layers.reduce((t, layer) => layer.apply(t) as tf.SymbolicTensor, x);
}

/** What {@link composeAutoencoder} builds an autoencoder from. */
export interface AutoencoderGraph {
  /** Shape of one input example. */
  inputShape: readonly number[];
  /**
   * Builds the encoder path from the input to the code. Called once.
   *
   * @param input - The model's symbolic input.
   */
  encode(input: tf.SymbolicTensor): tf.SymbolicTensor;
  /**
   * Builds the decoder path from a code. Called twice (on the encoder's
   * output and on a standalone code input), so it must apply layers that were
   * created beforehand rather than create new ones; see {@link stack}.
   *
   * @param code - The symbolic code to decode.
   */
  decode(code: tf.SymbolicTensor): tf.SymbolicTensor;
}

/**
 * Builds the three tfjs models of an autoencoder that share their layers:
 * `encoder` (input to code), `decoder` (code to output) and `model`
 * (input to output), the Keras tutorial pattern.
 *
 * @param graph - Input shape and the encode/decode paths.
 * @example
 * ```ts
 * import { composeAutoencoder, stack, tf } from '@aekit/core';
 *
 * const encoder = [tf.layers.dense({ units: 32, activation: 'relu' })];
 * const decoder = [tf.layers.dense({ units: 784, activation: 'sigmoid' })];
 * const { encoder: e, decoder: d, model } = composeAutoencoder({ inputShape: [784], encode: stack(encoder), decode: stack(decoder) });
 * e.outputs[0].shape; // [null, 32]; d maps [null, 32] to [null, 784], model [null, 784] to [null, 784]
 * ```
 */
export function composeAutoencoder(graph: AutoencoderGraph): {
  encoder: tf.LayersModel;
  decoder: tf.LayersModel;
  model: tf.LayersModel;
} {
  const input = tf.input({ shape: [...graph.inputShape], name: 'input' });
  const code = graph.encode(input);
  const encoder = tf.model({ inputs: input, outputs: code, name: 'encoder' });
  const codeInput = tf.input({ shape: shapeOf(code.shape), name: 'code' });
  const decoder = tf.model({ inputs: codeInput, outputs: graph.decode(codeInput), name: 'decoder' });
  const model = tf.model({ inputs: input, outputs: graph.decode(code), name: 'autoencoder' });
  return { encoder, decoder, model };
}
