import { beforeAll, describe, expect, it } from 'vitest';
import { psnr, ssim, tf, useBackend } from '../src/index.js';

beforeAll(async () => {
  await useBackend('wasm');
});

describe('PSNR and SSIM', () => {
  const clean = tf.randomUniform([3, 28, 28, 1], 0, 1, 'float32', 5);

  it('give infinity and 1 for identical images', () => {
    expect(Array.from(psnr(clean, clean).dataSync())).toEqual([Infinity, Infinity, Infinity]);
    for (const v of ssim(clean, clean).dataSync()) expect(v).toBeCloseTo(1, 5);
  });

  it('PSNR matches a known noise level', () => {
    // A constant offset of 0.1 has MSE 0.01, so PSNR = 20 dB exactly.
    const shifted = tf.add(tf.mul(clean, 0.8), 0.1);
    const offset = tf.add(tf.mul(clean, 0.8), 0.2);
    for (const v of psnr(shifted, offset).dataSync()) expect(v).toBeCloseTo(20, 3);
  });

  it('SSIM falls as noise grows and is symmetric', () => {
    const noisy = (f: number) => tf.clipByValue(tf.add(clean, tf.randomNormal(clean.shape, 0, f, 'float32', 9)), 0, 1);
    const light = ssim(clean, noisy(0.05)).dataSync()[0];
    const heavy = ssim(clean, noisy(0.5)).dataSync()[0];
    expect(light).toBeLessThan(1);
    expect(heavy).toBeLessThan(light);
    expect(ssim(noisy(0.2), clean).dataSync()[0]).toBeCloseTo(ssim(clean, noisy(0.2)).dataSync()[0], 5);
  });

  it('SSIM of a constant shift of a flat image follows the luminance term', () => {
    // Flat images have no variance, so SSIM reduces to (2 mx my + C1) / (mx^2 + my^2 + C1).
    const a = tf.fill([1, 16, 16], 0.5);
    const b = tf.fill([1, 16, 16], 0.7);
    const c1 = 0.01 ** 2;
    // float32 cancellation in E[x^2] - mean^2 limits agreement to about 1e-3.
    expect(ssim(a, b).dataSync()[0]).toBeCloseTo((2 * 0.5 * 0.7 + c1) / (0.25 + 0.49 + c1), 3);
  });
});
