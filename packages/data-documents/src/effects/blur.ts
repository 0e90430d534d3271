import type { PageValues } from './page-values.js';

/**
 * Gaussian blur of standard deviation `sigma` pixels, as an out-of-focus
 * scanner or a photocopy of a photocopy softens text. Separable (rows then
 * columns), with edge pixels repeated beyond the border.
 */
export function blur(page: PageValues, sigma: number): void {
  const radius = Math.max(1, Math.ceil(3 * sigma));
  const kernel = new Float32Array(2 * radius + 1);
  let sum = 0;
  for (let k = -radius; k <= radius; k++) sum += kernel[k + radius] = Math.exp(-(k * k) / (2 * sigma * sigma));
  for (let k = 0; k < kernel.length; k++) kernel[k] /= sum;
  const { width, height, values } = page;
  const temp = new Float32Array(values.length);
  const clamp = (v: number, max: number) => (v < 0 ? 0 : v > max ? max : v);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let acc = 0;
      for (let k = -radius; k <= radius; k++) acc += kernel[k + radius] * values[y * width + clamp(x + k, width - 1)];
      temp[y * width + x] = acc;
    }
  }
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let acc = 0;
      for (let k = -radius; k <= radius; k++) acc += kernel[k + radius] * temp[clamp(y + k, height - 1) * width + x];
      values[y * width + x] = acc;
    }
  }
}
