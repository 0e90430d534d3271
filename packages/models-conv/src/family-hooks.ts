import type { Autoencoder, ReportContext } from '@aekit/core';
import { codeImageShapeFor } from './code-image.js';
import { describeDenoising, measureDenoising, type DenoisingQuality } from './denoising.js';

/** Draws a code the way {@link codeImageShapeFor} says. */
export function codeImageShape(autoencoder: Autoencoder): [number, number] {
  return codeImageShapeFor(autoencoder.latentShape);
}

/**
 * The `report` hook of the convolutional families: for a run trained with
 * noise, measures how well the model denoises the test images and returns
 * it as the `denoising` field of `metrics.json`; runs without noise add
 * nothing.
 */
export async function reportDenoising(context: ReportContext): Promise<{ denoising: DenoisingQuality } | void> {
  if (!context.noise) return;
  const denoising = await measureDenoising(context.autoencoder, context.test, context.noise, { seed: context.seed });
  context.log(describeDenoising(denoising));
  return { denoising };
}
