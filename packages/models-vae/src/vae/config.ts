import { positiveInt, z } from '@aekit/core';
import { betaField, freeBitsField, HIDDEN_ACTIVATIONS, klWarmupEpochsField, latentDimField } from '../schema.js';

/**
 * Config of the dense `vae` family. Every field has a default; the defaults
 * are the classic Keras example: 784 -> 512 -> 2 -> 512 -> 784.
 */
export const vaeConfigSchema = z.strictObject({
  /** Size of the latent space; 2 by default, so it can be drawn. */
  latentDim: latentDimField(),
  /** Units of the encoder's hidden layers, input side first; the decoder mirrors them. `[512]` by default. */
  hidden: z.array(positiveInt()).min(1).default(() => [512]),
  /** Activation of the hidden layers; `relu` by default. */
  activation: z.enum(HIDDEN_ACTIVATIONS).default('relu'),
  /** Weight of the KL term; 1 by default (above 1: a beta-VAE). */
  beta: betaField(),
  /** Epochs over which the KL weight ramps up from 0 to `beta`; 0 (no warm-up) at the MNIST shape, 10 on other images (see `configFor`). */
  klWarmupEpochs: klWarmupEpochsField(),
  /** Nats each latent dimension's KL counts as at least, in training; 0 at the MNIST shape, 0.25 on other images (see `configFor`). */
  freeBits: freeBitsField(),
});

/** A validated config of the `vae` family; see {@link vaeConfigSchema}. */
export type VaeConfig = z.output<typeof vaeConfigSchema>;
