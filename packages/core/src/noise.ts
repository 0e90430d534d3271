import { z } from 'zod';
import { tf } from './tf.js';
import { ConfigError } from './errors.js';

/**
 * How to corrupt inputs for denoising training. `gaussian` adds
 * `factor * N(0, 1)` and clips to [0, 1] (factor 0.5 is the classic MNIST
 * setting); `salt-and-pepper` sets a share `amount` of values to 0 or 1;
 * `mask` zeroes a share `amount` of values.
 */
export type NoiseSpec =
  | { type: 'gaussian'; factor: number }
  | { type: 'salt-and-pepper'; amount: number }
  | { type: 'mask'; amount: number };

/**
 * zod schema of a {@link NoiseSpec}, for configs that embed one.
 *
 * @example
 * ```ts
 * import { noiseSpecSchema, z } from '@aekit/core';
 *
 * const denoising = z.object({ noise: noiseSpecSchema.default({ type: 'gaussian', factor: 0.5 }) });
 * denoising.parse({ noise: { type: 'mask', amount: 0.25 } }); // { noise: { type: 'mask', amount: 0.25 } }
 * ```
 */
export const noiseSpecSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('gaussian'), factor: z.number().finite().nonnegative() }),
  z.object({ type: z.literal('salt-and-pepper'), amount: z.number().min(0).max(1) }),
  z.object({ type: z.literal('mask'), amount: z.number().min(0).max(1) }),
]);

/**
 * Parses the command-line form of a noise spec: `gaussian:0.5`,
 * `salt-and-pepper:0.1`, `mask:0.25`, or a bare number as a gaussian factor.
 *
 * @param text - The text to parse.
 * @param field - Field name for the error message.
 * @example
 * ```ts
 * import { parseNoiseSpec } from '@aekit/core';
 *
 * parseNoiseSpec('salt-and-pepper:0.1'); // { type: 'salt-and-pepper', amount: 0.1 }
 * parseNoiseSpec('0.5'); // { type: 'gaussian', factor: 0.5 }
 * parseNoiseSpec('blur:2'); // throws ConfigError "noise: unknown noise type 'blur'; expected gaussian, salt-and-pepper or mask"
 * ```
 */
export function parseNoiseSpec(text: string, field = 'noise'): NoiseSpec {
  const [kind, rawAmount] = text.includes(':') ? text.split(':', 2) : ['gaussian', text];
  const amount = Number(rawAmount);
  if (rawAmount === undefined || rawAmount.trim() === '' || !Number.isFinite(amount) || amount < 0) {
    throw new ConfigError(field, `expected TYPE:AMOUNT with a non-negative number, e.g. gaussian:0.5, got '${text}'`);
  }
  switch (kind) {
    case 'gaussian':
      return { type: 'gaussian', factor: amount };
    case 'salt-and-pepper':
    case 'mask':
      if (amount > 1) throw new ConfigError(field, `${kind} amount must be at most 1, got ${amount}`);
      return { type: kind, amount };
    default:
      throw new ConfigError(field, `unknown noise type '${kind}'; expected gaussian, salt-and-pepper or mask`);
  }
}

/**
 * Short text form of a noise spec, the inverse of {@link parseNoiseSpec}.
 *
 * @param spec - The noise to describe, as {@link parseNoiseSpec} returns it.
 * @example
 * ```ts
 * import { formatNoiseSpec } from '@aekit/core';
 *
 * formatNoiseSpec({ type: 'mask', amount: 0.25 }); // 'mask:0.25'
 * ```
 */
export function formatNoiseSpec(spec: NoiseSpec): string {
  return spec.type === 'gaussian' ? `gaussian:${spec.factor}` : `${spec.type}:${spec.amount}`;
}

/**
 * Returns a corrupted copy of `x` (values in [0, 1]); `x` is not changed.
 * The same seed gives the same noise on the same backend.
 *
 * @param x - Clean batch.
 * @param spec - Kind and strength of the noise.
 * @param seed - Seed of the random draw.
 * @example
 * ```ts
 * import { applyNoise, tf } from '@aekit/core';
 *
 * declare const clean: tf.Tensor; // a batch [32, 28, 28, 1] in [0, 1]
 * const noisy = applyNoise(clean, { type: 'gaussian', factor: 0.5 }, 1);
 * noisy.shape; // [32, 28, 28, 1], clipped to [0, 1]; `clean` is unchanged
 * ```
 */
export function applyNoise(x: tf.Tensor, spec: NoiseSpec, seed: number): tf.Tensor {
  return tf.tidy(() => {
    switch (spec.type) {
      case 'gaussian':
        return tf.clipByValue(tf.add(x, tf.mul(tf.randomNormal(x.shape, 0, 1, 'float32', seed), spec.factor)), 0, 1);
      case 'salt-and-pepper': {
        const u = tf.randomUniform(x.shape, 0, 1, 'float32', seed);
        const hit = tf.less(u, spec.amount);
        // Within the hit share, the lower half becomes pepper (0), the upper salt (1).
        const salt = tf.cast(tf.greaterEqual(u, spec.amount / 2), 'float32');
        return tf.where(hit, salt, x);
      }
      case 'mask': {
        const keep = tf.cast(tf.greaterEqual(tf.randomUniform(x.shape, 0, 1, 'float32', seed), spec.amount), 'float32');
        return tf.mul(x, keep);
      }
    }
  });
}
