import type { Rng } from '@aekit/core';
import { smoothField } from './fields.js';
import { darken, type PageValues } from './page-values.js';

/**
 * Folds: one or two straight fold lines across the page (mostly halves or
 * thirds, sometimes a dog-ear diagonal), each a dark crease with a soft
 * shadow on one side, its darkness varying along the line.
 */
export function fold(page: PageValues, strength: number, rng: Rng): void {
  const { width, height } = page;
  const count = 1 + Math.floor(rng() * 2);
  const wear = smoothField(width, height, rng, { scale: 90 });
  for (let f = 0; f < count; f++) {
    const kind = rng();
    let angle: number;
    let px: number;
    let py: number;
    if (kind < 0.45) {
      [angle, px, py] = [0, width / 2, height * (0.25 + 0.5 * rng())];
    } else if (kind < 0.85) {
      [angle, px, py] = [Math.PI / 2, width * (0.25 + 0.5 * rng()), height / 2];
    } else {
      [angle, px, py] = [Math.PI / 4 + (rng() - 0.5) * 0.6, width * rng(), height * rng()];
    }
    angle += (rng() - 0.5) * 0.03;
    // Unit normal of the line; signed distance along it picks the shadow side.
    const [nx, ny] = [-Math.sin(angle), Math.cos(angle)];
    const sharpness = 0.8 + 1.2 * rng();
    const shadowWidth = 10 + 30 * rng();
    const side = rng() < 0.5 ? 1 : -1;
    // Beyond these distances the crease and the shadow are below 1/1000.
    const creaseReach = 4 * sharpness;
    const shadowReach = 7 * shadowWidth;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const d = nx * (x - px) + ny * (y - py);
        const away = side * d;
        if (Math.abs(d) > creaseReach && (away <= 0 || away > shadowReach)) continue;
        const crease = Math.exp(-(d * d) / (2 * sharpness * sharpness));
        const shadow = away > 0 ? Math.exp(-away / shadowWidth) : 0;
        const i = y * width + x;
        darken(page, i, strength * (0.45 * crease + 0.12 * shadow) * (0.5 + wear[i]));
      }
    }
  }
}
