import { sizeOfShape, type DataFacts } from '@aekit/core';

/** Values in an MNIST digit, the shape the Keras examples' defaults were made for. */
const TUTORIAL_INPUT_SIZE = 28 * 28;

/** Settings that keep a VAE on images other than MNIST's from collapsing; see {@link vaeDataDefaults}. */
export interface VaeDataDefaults {
  latentDim: number;
  klWarmupEpochs: number;
  freeBits: number;
}

/**
 * The data defaults (in the `configFor` hook) of `vae`: nothing for MNIST-sized grey images, so
 * the Keras example's 2-D latent space stays the default there. Other
 * images get a latent space that follows their size (one dimension per 96
 * input values, 2 to 64: 32 for 32x32 colour images), a KL warm-up of 10
 * epochs and 0.25 free bits a dimension, so that no latent dimension is
 * left on the prior (posterior collapse). The root README's defaults table
 * (`scripts/defaults-results.mjs`) compares them with the Keras settings on
 * colour images.
 *
 * @param data - What the data is, and the shape of an example.
 */
export function vaeDataDefaults(data: DataFacts): VaeDataDefaults | undefined {
  const inputSize = sizeOfShape(data.dataShape);
  if (inputSize === TUTORIAL_INPUT_SIZE) return undefined;
  return { latentDim: Math.min(64, Math.max(2, Math.round(inputSize / 96))), klWarmupEpochs: 10, freeBits: 0.25 };
}

/**
 * The data defaults (in the `configFor` hook) of `conv-vae`: {@link vaeDataDefaults}, and
 * stride-2 convolutions as deep as the image is large (down to about 4x4:
 * three for 32x32, four for 64x64), 32, 64, 128… filters wide, with a dense
 * layer of 256 before the latent heads. MNIST-sized images keep the Keras
 * example (32 and 64 filters, a dense layer of 16, a 2-D latent space).
 *
 * @param data - What the data is, and the shape of an example.
 */
export function convVaeDataDefaults(data: DataFacts): (VaeDataDefaults & { filters: number[]; denseUnits: number }) | undefined {
  const base = vaeDataDefaults(data);
  if (!base || data.dataShape.length < 2) return base && { ...base, filters: [32, 64], denseUnits: 256 };
  const side = Math.min(data.dataShape[0], data.dataShape[1]);
  const depth = Math.min(5, Math.max(1, Math.round(Math.log2(side / 4))));
  return { ...base, filters: [32, 64, 128, 256, 256].slice(0, depth), denseUnits: 256 };
}
