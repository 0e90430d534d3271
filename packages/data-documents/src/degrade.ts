import { createRng, parseConfig, z } from '@aekit/core';
import { blur } from './effects/blur.js';
import { crumple } from './effects/crumples.js';
import { fadeInk } from './effects/faded-ink.js';
import { fold } from './effects/folds.js';
import type { PageValues } from './effects/page-values.js';
import { addGaussianNoise, addSaltAndPepper } from './effects/scanner-noise.js';
import { stain } from './effects/stains.js';
import { unevenBackground } from './effects/uneven-background.js';
import { grayImageFromValues, grayImageValues, type GrayImage } from './gray-image.js';

const strength = (value: number) => z.number().finite().min(0).max(1).default(value);

/** zod schema of {@link DegradationOptions}; every field has a default. */
export const degradationSchema = z.object({
  /** Coffee rings and blotches: darkness of a stain, 0 to 1. */
  stains: strength(0.5),
  /** Fold lines with their shadows, 0 to 1. */
  folds: strength(0.5),
  /** Crumpled-paper shading and creases, 0 to 1. */
  crumples: strength(0.5),
  /** Paper tone, yellowing patches, uneven lighting and grain, 0 to 1. */
  background: strength(0.5),
  /** Faded ink: share of the ink's darkness lost where fading is strongest, 0 to 1. */
  fade: strength(0.3),
  /** Scanner blur: standard deviation of the gaussian blur in pixels. */
  blur: z.number().finite().min(0).max(10).default(0.6),
  /** Scanner noise: standard deviation of gaussian noise on the [0, 1] scale. */
  gaussianNoise: z.number().finite().min(0).max(1).default(0.04),
  /** Share of pixels turned black or white by dust and dead sensor cells. */
  saltAndPepper: z.number().finite().min(0).max(1).default(0.003),
});

/**
 * How strongly a clean page is soiled; every field is optional and has a
 * default. Each effect is skipped at strength 0, so with every strength 0 the
 * dirty page equals the clean one exactly.
 */
export type DegradationOptions = z.input<typeof degradationSchema>;

/** Degradation strengths with every default filled in. */
export type Degradation = z.output<typeof degradationSchema>;

/** Every strength 0: dirty pages equal their clean pages. */
export const NO_DEGRADATION: Degradation = {
  stains: 0,
  folds: 0,
  crumples: 0,
  background: 0,
  fade: 0,
  blur: 0,
  gaussianNoise: 0,
  saltAndPepper: 0,
};

/**
 * Fills in the default strengths, or throws a `ConfigError` naming the bad field.
 *
 * @param options - Strengths of the effects; missing ones take their defaults.
 */
export function resolveDegradation(options: DegradationOptions = {}): Degradation {
  return parseConfig(degradationSchema, options, 'dirt');
}

/**
 * Makes a dirty copy of a clean page, in the order a real page ages and is
 * scanned: the ink fades; the paper yellows, is stained, folded and
 * crumpled; the scanner blurs and adds noise. Every effect draws from its
 * own seeded stream, so changing one strength leaves the others' stains,
 * folds and noise where they were.
 *
 * @param clean - The clean page.
 * @param options - Strength of each effect.
 * @param seed - Same seed, same dirt.
 */
export function degradePage(clean: GrayImage, options: DegradationOptions, seed: number): GrayImage {
  const dirt = resolveDegradation(options);
  const page: PageValues = { width: clean.width, height: clean.height, values: grayImageValues(clean) };
  const stream = (effect: string) => createRng(`dirt:${seed}:${effect}`);
  if (dirt.fade > 0) fadeInk(page, dirt.fade, stream('fade'));
  if (dirt.background > 0) unevenBackground(page, dirt.background, stream('background'));
  if (dirt.stains > 0) stain(page, dirt.stains, stream('stains'));
  if (dirt.folds > 0) fold(page, dirt.folds, stream('folds'));
  if (dirt.crumples > 0) crumple(page, dirt.crumples, stream('crumples'));
  if (dirt.blur > 0) blur(page, dirt.blur);
  if (dirt.gaussianNoise > 0) addGaussianNoise(page, dirt.gaussianNoise, stream('gaussian-noise'));
  if (dirt.saltAndPepper > 0) addSaltAndPepper(page, dirt.saltAndPepper, stream('salt-and-pepper'));
  return grayImageFromValues(page.values, page.width, page.height);
}
