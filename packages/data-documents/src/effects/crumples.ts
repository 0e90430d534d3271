import type { Rng } from '@aekit/core';
import { smoothField } from './fields.js';
import { darken, type PageValues } from './page-values.js';

/**
 * Crumpled paper: a bumpy surface lit from one side, so slopes facing away
 * from the light are shaded, and thin creases where the paper was creased.
 */
export function crumple(page: PageValues, strength: number, rng: Rng): void {
  const { width, height } = page;
  const surface = smoothField(width, height, rng, { scale: 160, octaves: 3 });
  const ridges = smoothField(width, height, rng, { scale: 130, octaves: 2 });
  const angle = 2 * Math.PI * rng();
  const [lx, ly] = [Math.cos(angle), Math.sin(angle)];
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) {
      const i = y * width + x;
      // Slope of the surface towards the light; only slopes facing away are shaded.
      const slope = lx * (surface[i + 1] - surface[i - 1]) + ly * (surface[i + width] - surface[i - width]);
      const shade = Math.min(1, Math.max(0, -slope * 40));
      // A crease is where the ridge field crosses its middle value: a thin dark line.
      const crease = Math.max(0, 1 - Math.abs(ridges[i] - 0.5) * 50) ** 2;
      darken(page, i, strength * (0.22 * shade + 0.14 * crease));
    }
  }
}
