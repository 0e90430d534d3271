import type { Rng } from '@aekit/core';
import { smoothField } from './fields.js';
import type { PageValues } from './page-values.js';

/**
 * Faded ink: lightens the ink by up to `strength` (0 none, 1 gone), more in
 * some parts of the page than in others, as an old print or a dry toner
 * cartridge leaves it.
 */
export function fadeInk(page: PageValues, strength: number, rng: Rng): void {
  const unevenness = smoothField(page.width, page.height, rng, { scale: 220, octaves: 2 });
  const { values } = page;
  for (let i = 0; i < values.length; i++) {
    const ink = 1 - values[i];
    values[i] = 1 - ink * (1 - strength * (0.4 + 0.6 * unevenness[i]));
  }
}
