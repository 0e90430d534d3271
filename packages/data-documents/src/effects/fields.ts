import { createNoise2D } from 'simplex-noise';
import type { Rng } from '@aekit/core';

/** Options of {@link smoothField}. */
export interface SmoothFieldOptions {
  /** Size of the largest features in pixels. */
  scale: number;
  /** Layers of finer detail, each half the size and half the strength; 1 by default. */
  octaves?: number;
}

/**
 * A smooth random field over the page with values in [0, 1]: seeded
 * simplex noise (the `simplex-noise` package) summed over octaves. It is
 * sampled on a grid an eighth of the finest feature size apart and
 * bilinearly interpolated, which looks the same for fields this smooth and
 * is many times faster than sampling every pixel.
 *
 * @param width - Columns.
 * @param height - Rows.
 * @param rng - Seeded source of the noise's permutation.
 * @param options - Feature size and octaves.
 */
export function smoothField(width: number, height: number, rng: Rng, options: SmoothFieldOptions): Float32Array {
  const noise = createNoise2D(rng);
  const octaves = options.octaves ?? 1;
  const finest = options.scale / 2 ** (octaves - 1);
  const step = Math.max(1, Math.floor(finest / 8));
  const gw = Math.ceil((width - 1) / step) + 2;
  const gh = Math.ceil((height - 1) / step) + 2;
  const grid = new Float32Array(gw * gh);
  let norm = 0;
  for (let o = 0; o < octaves; o++) norm += 0.5 ** o;
  for (let gy = 0; gy < gh; gy++) {
    for (let gx = 0; gx < gw; gx++) {
      let sum = 0;
      for (let o = 0; o < octaves; o++) {
        const f = 2 ** o / options.scale;
        // Each octave reads a distant part of the noise plane so octaves are independent.
        sum += 0.5 ** o * noise(gx * step * f + 101.3 * o, gy * step * f - 57.1 * o);
      }
      grid[gy * gw + gx] = 0.5 + 0.5 * (sum / norm);
    }
  }
  const field = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    const gy = Math.floor(y / step);
    const ty = (y - gy * step) / step;
    for (let x = 0; x < width; x++) {
      const gx = Math.floor(x / step);
      const tx = (x - gx * step) / step;
      const i = gy * gw + gx;
      const top = grid[i] + (grid[i + 1] - grid[i]) * tx;
      const bottom = grid[i + gw] + (grid[i + gw + 1] - grid[i + gw]) * tx;
      field[y * width + x] = top + (bottom - top) * ty;
    }
  }
  return field;
}

/** Two independent standard normal draws from a uniform source (Box-Muller). */
export function gaussianPair(rng: Rng): [number, number] {
  const radius = Math.sqrt(-2 * Math.log(1 - rng()));
  const angle = 2 * Math.PI * rng();
  return [radius * Math.cos(angle), radius * Math.sin(angle)];
}

/** Smooth step from 0 at `edge0` to 1 at `edge1`. */
export function smoothstep(edge0: number, edge1: number, x: number): number {
  const t = Math.min(1, Math.max(0, (x - edge0) / (edge1 - edge0)));
  return t * t * (3 - 2 * t);
}
