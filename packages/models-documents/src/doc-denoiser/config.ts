import { z } from '@aekit/core';

/** zod schema of {@link DocDenoiserConfig}; every field has a default. */
export const docDenoiserConfigSchema = z.object({
  /**
   * Filters of each encoder stage; every stage halves the resolution, so
   * `[16, 32]` gives a code of a quarter the size with 32 channels. The
   * decoder mirrors the stages.
   */
  filters: z.array(z.number().int().positive()).min(1).max(5).default([16, 32]),
  /** Side of the square convolution kernels (odd). */
  kernelSize: z
    .number()
    .int()
    .min(1)
    .max(9)
    .refine((k) => k % 2 === 1, 'expected an odd kernel size')
    .default(3),
});

/** Settings of the `doc-denoiser` family. */
export type DocDenoiserConfig = z.output<typeof docDenoiserConfigSchema>;
