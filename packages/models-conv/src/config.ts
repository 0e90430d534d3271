import { positiveInt, z } from '@aekit/core';

/**
 * How the decoder doubles the size of its feature maps at each stage:
 * `nearest` or `bilinear` up-sampling, each followed by a convolution (the
 * resize-convolution of Odena et al. 2016), or `transposed` convolutions
 * with stride 2, whose overlapping kernels tend to leave checkerboard
 * artifacts.
 */
export const UPSAMPLING_MODES = ['nearest', 'bilinear', 'transposed'] as const;

/** One of {@link UPSAMPLING_MODES}. */
export type UpsamplingMode = (typeof UPSAMPLING_MODES)[number];

/** Defaults a convolutional family gives its config fields. */
export interface ConvConfigDefaults {
  /** Default filters of the encoder stages, e.g. `[16, 8, 8]`. */
  encoderFilters: number[];
  /** Default kernel side; 3 when omitted. */
  kernelSize?: number;
  /** Default way up; `nearest` when omitted. */
  upsampling?: UpsamplingMode;
}

/**
 * Builds the zod schema shared by the convolutional families; they differ
 * only in their defaults. Unknown fields are refused, so that a typo such as
 * `encoderFilter` is an error rather than silently ignored.
 *
 * @param defaults - The family's default filters, kernel size and up-sampling.
 */
export function convConfigSchema(defaults: ConvConfigDefaults) {
  return z
    .strictObject({
      /**
       * Filters of the encoder's convolutions, one 3x3 (`kernelSize`)
       * convolution and one 2x2 max pooling per entry; the number of entries
       * is the depth, and each halves the image (rounding up).
       */
      encoderFilters: z.array(positiveInt()).min(1).max(6).default(defaults.encoderFilters),
      /**
       * Filters of the decoder's convolutions, one entry per encoder stage;
       * `null` mirrors the encoder (`[16, 8, 8]` gives `[8, 8, 16]`), as
       * both Keras tutorial models do.
       */
      decoderFilters: z.array(positiveInt()).min(1).nullable().default(null),
      /** Side of every convolution kernel. */
      kernelSize: positiveInt().max(7).default(defaults.kernelSize ?? 3),
      /** How the decoder scales up; see {@link UPSAMPLING_MODES}. */
      upsampling: z.enum(UPSAMPLING_MODES).default(defaults.upsampling ?? 'nearest'),
      /**
       * `null` keeps the code convolutional (`[h, w, lastEncoderFilters]`);
       * a number adds a dense bottleneck of that many values after the
       * encoder's last pooling, and a dense layer back before the decoder.
       */
      latentDim: positiveInt().nullable().default(null),
    })
    .superRefine((config, ctx) => {
      if (config.decoderFilters && config.decoderFilters.length !== config.encoderFilters.length) {
        ctx.addIssue({
          code: 'custom',
          path: ['decoderFilters'],
          message: `expected ${config.encoderFilters.length} entries, one per encoder stage`,
        });
      }
    });
}

/**
 * The validated config of the `conv` and `conv-denoise` families; every
 * field has a default (see {@link convConfigSchema} for what each means).
 */
export type ConvConfig = z.output<ReturnType<typeof convConfigSchema>>;

/**
 * The decoder filters a config stands for: the given ones, or the encoder's mirrored.
 *
 * @param config - The family's parsed config.
 */
export function resolvedDecoderFilters(config: ConvConfig): number[] {
  return config.decoderFilters ?? [...config.encoderFilters].reverse();
}
