import type { Rng } from '@aekit/core';
import { smoothField } from './fields.js';
import { darken, type PageValues } from './page-values.js';

/**
 * Uneven background: a paper tone, yellowing in broad patches, uneven
 * scanner lighting across the page and a fine paper grain. At strength 1
 * the paper is up to about 40% darker in places.
 */
export function unevenBackground(page: PageValues, strength: number, rng: Rng): void {
  const { width, height } = page;
  const patches = smoothField(width, height, rng, { scale: 320, octaves: 2 });
  const grain = smoothField(width, height, rng, { scale: 16 });
  const tone = 0.04 + 0.08 * rng();
  // Lighting falls off along a random direction, from none to full.
  const angle = 2 * Math.PI * rng();
  const [dx, dy] = [Math.cos(angle), Math.sin(angle)];
  const span = Math.abs(dx) * width + Math.abs(dy) * height;
  const offset = Math.min(0, dx * width) + Math.min(0, dy * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const light = (dx * x + dy * y - offset) / span;
      darken(page, i, strength * (tone + 0.18 * patches[i] + 0.12 * light + 0.05 * grain[i]));
    }
  }
}
