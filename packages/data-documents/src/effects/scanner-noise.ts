import type { Rng } from '@aekit/core';
import { gaussianPair } from './fields.js';
import type { PageValues } from './page-values.js';

/** Gaussian sensor noise: adds `sigma * N(0, 1)` to every pixel (clipped later). */
export function addGaussianNoise(page: PageValues, sigma: number, rng: Rng): void {
  const { values } = page;
  for (let i = 0; i < values.length; i += 2) {
    const [a, b] = gaussianPair(rng);
    values[i] += sigma * a;
    if (i + 1 < values.length) values[i + 1] += sigma * b;
  }
}

/** Salt-and-pepper noise: a share `amount` of pixels become black or white (half each), as dust and dead sensor cells do. */
export function addSaltAndPepper(page: PageValues, amount: number, rng: Rng): void {
  const { values } = page;
  for (let i = 0; i < values.length; i++) {
    const u = rng();
    if (u < amount) values[i] = u < amount / 2 ? 0 : 1;
  }
}
