/** A page being degraded: float values in [0, 1] (1 is white paper), changed in place by each effect. */
export interface PageValues {
  readonly width: number;
  readonly height: number;
  readonly values: Float32Array;
}

/** Darkens the pixel at `i` by `amount` in [0, 1], as a stain or shadow over the paper and ink. */
export function darken(page: PageValues, i: number, amount: number): void {
  page.values[i] *= 1 - Math.min(1, Math.max(0, amount));
}
