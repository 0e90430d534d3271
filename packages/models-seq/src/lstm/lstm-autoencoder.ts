import { tf, LayersAutoencoder, type ForwardOptions, type ForwardPass, type LayersAutoencoderParts } from '@aekit/core';
import { lengthsOf, sequenceMask } from '../sequences/lengths.js';
import type { SequenceShape } from './config.js';

/**
 * Options of {@link LstmAutoencoder.forward}. Core's `ForwardOptions` now
 * carries the sequence lengths itself (the trainer fills them from the
 * dataset's `lengths`), so this is the same type.
 * @deprecated Use `ForwardOptions` from `@aekit/core`.
 */
export type SequenceForwardOptions = ForwardOptions;

/** The layers of the encoder path, kept so that a mask can be passed to the recurrent ones. */
export interface EncoderLayers {
  /** Reshapes the data to `[timesteps, features]` when its shape differs. */
  toSequence?: tf.layers.Layer;
  /** The LSTM (or bidirectional LSTM) layers, in order. */
  recurrent: readonly tf.layers.Layer[];
  /** Projects a bidirectional encoder's two final states to the code. */
  head?: tf.layers.Layer;
}

/**
 * A sequence-to-sequence LSTM autoencoder. On full-length sequences it is a
 * plain {@link LayersAutoencoder}. On padded batches (whose lengths are
 * known, see `PaddedSequenceDataset`) the encoder skips the padding steps,
 * so its code depends on the real steps only, and the forward pass carries
 * a `mask` extra that keeps the padding out of the reconstruction loss.
 */
export class LstmAutoencoder extends LayersAutoencoder {
  /** Steps per sequence. */
  readonly timesteps: number;
  /** Values per step. */
  readonly features: number;
  private readonly encoderLayers: EncoderLayers;

  /**
   * @param parts - The three models and the loss, from `composeAutoencoder`.
   * @param shape - How the model reads an example as a sequence.
   * @param encoderLayers - The encoder's layers, shared with `parts.encoder`.
   */
  constructor(parts: LayersAutoencoderParts, shape: SequenceShape, encoderLayers: EncoderLayers) {
    super(parts);
    this.timesteps = shape.timesteps;
    this.features = shape.features;
    this.encoderLayers = encoderLayers;
  }

  /**
   * Runs the model. For a padded batch the result's `extras.mask` has the
   * output's shape, 1 on real steps and 0 on padding. Like core's forward
   * passes, call it inside `tf.tidy` (the trainer does).
   *
   * @param x - Sequences `[n, timesteps, features]`, possibly padded.
   * @param options - Whether this is a training pass, the seed, and the sequences' true lengths.
   */
  override forward(x: tf.Tensor, options: ForwardOptions): ForwardPass {
    const lengths = options.lengths ?? lengthsOf(x);
    if (!lengths) return super.forward(x, options);
    const stepMask = sequenceMask(lengths, this.timesteps);
    const code = this.encodeMasked(x, stepMask, options.training);
    const output = this.decoder.model.apply(code, { training: options.training }) as tf.Tensor;
    const mask = tf.reshape(tf.tile(tf.expandDims(stepMask, 2), [1, 1, this.features]), output.shape);
    return { input: x, output, code, extras: { mask } };
  }

  /**
   * Encodes a batch; padded batches that carry their lengths are encoded without their padding.
   *
   * @param x - Sequences `[n, timesteps, features]`.
   */
  override encode(x: tf.Tensor): tf.Tensor {
    const lengths = lengthsOf(x);
    if (!lengths) return super.encode(x);
    return tf.tidy(() => this.encodeMasked(x, sequenceMask(lengths, this.timesteps), false));
  }

  /**
   * Encodes and decodes a batch; padding steps of padded batches come back as whatever the decoder says.
   *
   * @param x - Sequences `[n, timesteps, features]`.
   */
  override reconstruct(x: tf.Tensor): tf.Tensor {
    if (!lengthsOf(x)) return super.reconstruct(x);
    return tf.tidy(() => {
      const code = this.encode(x);
      return this.decoder.model.apply(code, { training: false }) as tf.Tensor;
    });
  }

  /**
   * Frees the weights. tfjs counts how many graphs use a layer, and the
   * decoder's layers are in two (the decoder and the full model), so both
   * models are disposed; the encoder's layers go with the full model.
   */
  override dispose(): void {
    this.model.dispose();
    this.decoder.model.dispose();
  }

  /** The encoder path applied layer by layer, handing the step mask to each recurrent layer. */
  private encodeMasked(x: tf.Tensor, stepMask: tf.Tensor, training: boolean): tf.Tensor {
    const { toSequence, recurrent, head } = this.encoderLayers;
    let h = toSequence ? (toSequence.apply(x) as tf.Tensor) : x;
    for (const layer of recurrent) h = layer.apply(h, { mask: stepMask, training }) as tf.Tensor;
    return head ? (head.apply(h) as tf.Tensor) : h;
  }
}
