import { tf } from '../tf.js';

/**
 * Peak signal-to-noise ratio per image, in decibels, for values in [0, 1]:
 * `10 * log10(1 / MSE)`. Identical images give `Infinity`.
 *
 * @example
 * ```ts
 * import { psnr, tf } from '@aekit/core';
 *
 * const images = tf.fill([2, 28, 28], 0.5);
 * const brighter = tf.add(images, 0.1); // every pixel off by 0.1: MSE 0.01
 * psnr(images, brighter).print(); // [20, 20] in dB (19.9999981 in float32)
 * ```
 * @param a - Images `[n, h, w]` or `[n, h, w, c]` (any shape with the batch first).
 * @param b - Images of the same shape.
 * @returns `[n]` PSNR values.
 */
export function psnr(a: tf.Tensor, b: tf.Tensor): tf.Tensor1D {
  return tf.tidy(() => {
    const mse = tf.mean(tf.squaredDifference(a, b), a.shape.slice(1).map((_, i) => i + 1));
    return tf.mul(-10 / Math.LN10, tf.log(mse)) as tf.Tensor1D;
  });
}

/** Options of {@link ssim}. */
export interface SsimOptions {
  /** Side of the gaussian window; 11 by default (Wang et al. 2004). */
  windowSize?: number;
  /** Standard deviation of the window; 1.5 by default. */
  sigma?: number;
}

/**
 * Structural similarity per image (Wang et al. 2004) for values in [0, 1]:
 * local means, variances and covariance under a gaussian window, with the
 * standard constants `C1 = (0.01)^2` and `C2 = (0.03)^2`, averaged over the
 * image ('valid' windows only) and over channels. Identical images give 1.
 *
 * @example
 * ```ts
 * import { ssim, tf } from '@aekit/core';
 *
 * declare const images: tf.Tensor4D; // [n, 28, 28, 1] in [0, 1]
 * declare const reconstructions: tf.Tensor4D;
 * const scores = await ssim(images, reconstructions).data(); // one per image, 1 for a perfect copy
 * ```
 * @param a - Images `[n, h, w]` or `[n, h, w, c]`.
 * @param b - Images of the same shape.
 * @param options - Window size and sigma.
 * @returns `[n]` SSIM values.
 */
export function ssim(a: tf.Tensor, b: tf.Tensor, options: SsimOptions = {}): tf.Tensor1D {
  const size = options.windowSize ?? 11;
  const sigma = options.sigma ?? 1.5;
  return tf.tidy(() => {
    const to4d = (t: tf.Tensor) => (t.rank === 3 ? tf.expandDims(t, -1) : t) as tf.Tensor4D;
    const x = to4d(a);
    const y = to4d(b);
    const channels = x.shape[3];
    const g = gaussianWindow(size, sigma);
    const window = tf.tile(tf.reshape(g, [size, size, 1, 1]), [1, 1, channels, 1]) as tf.Tensor4D;
    const blur = (t: tf.Tensor4D) => tf.depthwiseConv2d(t, window, 1, 'valid');
    const muX = blur(x);
    const muY = blur(y);
    const sigmaX = tf.sub(blur(tf.mul(x, x)), tf.mul(muX, muX));
    const sigmaY = tf.sub(blur(tf.mul(y, y)), tf.mul(muY, muY));
    const sigmaXY = tf.sub(blur(tf.mul(x, y)), tf.mul(muX, muY));
    const c1 = 0.01 ** 2;
    const c2 = 0.03 ** 2;
    const numerator = tf.mul(tf.add(tf.mul(2, tf.mul(muX, muY)), c1), tf.add(tf.mul(2, sigmaXY), c2));
    const denominator = tf.mul(tf.add(tf.add(tf.mul(muX, muX), tf.mul(muY, muY)), c1), tf.add(tf.add(sigmaX, sigmaY), c2));
    return tf.mean(tf.div(numerator, denominator), [1, 2, 3]) as tf.Tensor1D;
  });
}

function gaussianWindow(size: number, sigma: number): tf.Tensor2D {
  const half = (size - 1) / 2;
  const g = Array.from({ length: size }, (_, i) => Math.exp(-((i - half) ** 2) / (2 * sigma * sigma)));
  const sum = g.reduce((p, q) => p + q, 0);
  const g1 = g.map((v) => v / sum);
  return tf.tensor2d(g1.flatMap((u) => g1.map((v) => u * v)), [size, size]);
}
