import type { Rng } from '@aekit/core';
import { smoothField, smoothstep } from './fields.js';
import { darken, type PageValues } from './page-values.js';

/**
 * Coffee stains and blotches: zero to two cup rings (a dark, ragged edge
 * around a faint fill, as drying coffee leaves it) and one to three
 * irregular blotches, anywhere on the page, some only partly on it. Each
 * stain's darkness is `strength` times a random share between 0.3 and 0.7.
 */
export function stain(page: PageValues, strength: number, rng: Rng): void {
  const { width, height } = page;
  const texture = smoothField(width, height, rng, { scale: 32 });
  const outline = smoothField(width, height, rng, { scale: 60, octaves: 2 });
  const rings = Math.floor(rng() * 3);
  const blotches = 1 + Math.floor(rng() * 3);
  for (let r = 0; r < rings; r++) {
    const radius = Math.min(width, height) * (0.08 + 0.12 * rng());
    const rim = radius * (0.02 + 0.03 * rng());
    const opacity = strength * (0.3 + 0.4 * rng());
    const [cx, cy] = [width * rng(), height * rng()];
    paint(page, cx, cy, radius * 1.3, (x, y, i) => {
      // The outline field makes the ring ragged rather than a perfect circle.
      const rho = Math.sqrt((x - cx) ** 2 + (y - cy) ** 2) + (outline[i] - 0.5) * radius * 0.25;
      const edge = Math.exp(-(((rho - radius) / rim) ** 2));
      const fill = 0.25 * (1 - smoothstep(radius - rim, radius, rho));
      return opacity * (0.85 * edge + fill) * (0.6 + 0.8 * texture[i]);
    });
  }
  for (let b = 0; b < blotches; b++) {
    const radius = Math.min(width, height) * (0.03 + 0.1 * rng());
    const opacity = strength * (0.3 + 0.4 * rng());
    const [cx, cy] = [width * rng(), height * rng()];
    paint(page, cx, cy, radius * 1.6, (x, y, i) => {
      const rho = Math.sqrt((x - cx) ** 2 + (y - cy) ** 2) / radius - (outline[i] - 0.5) * 0.9;
      return opacity * (1 - smoothstep(0.75, 1, rho)) * (0.55 + 0.9 * texture[i]);
    });
  }
}

/** Darkens the pixels within `reach` of (`cx`, `cy`) by `amount(x, y, i)`. */
function paint(page: PageValues, cx: number, cy: number, reach: number, amount: (x: number, y: number, i: number) => number): void {
  const x0 = Math.max(0, Math.floor(cx - reach));
  const x1 = Math.min(page.width - 1, Math.ceil(cx + reach));
  const y0 = Math.max(0, Math.floor(cy - reach));
  const y1 = Math.min(page.height - 1, Math.ceil(cy + reach));
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      const i = y * page.width + x;
      darken(page, i, amount(x, y, i));
    }
  }
}
