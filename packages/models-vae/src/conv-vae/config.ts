import { positiveInt, z } from '@aekit/core';
import { betaField, freeBitsField, HIDDEN_ACTIVATIONS, klWarmupEpochsField, latentDimField } from '../schema.js';

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
  /** Epochs over which the KL weight ramps up from 0 to `beta`; 0 (no warm-up) at the MNIST shape, 10 on other images (see `configFor`). */
  klWarmupEpochs: klWarmupEpochsField(),
  /** Nats each latent dimension's KL counts as at least, in training; 0 at the MNIST shape, 0.25 on other images (see `configFor`). */
  freeBits: freeBitsField(),
});

/** A validated config of the `conv-vae` family; see {@link convVaeConfigSchema}. */
export type ConvVaeConfig = z.output<typeof convVaeConfigSchema>;
