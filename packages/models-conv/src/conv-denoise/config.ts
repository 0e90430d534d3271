import { convConfigSchema, type ConvConfig } from '../config.js';

/** Config schema of the `conv-denoise` family: the shared convolutional fields, Conv2D 32-32 by default. */
export const convDenoiseConfigSchema = convConfigSchema({ encoderFilters: [32, 32] });

/**
 * The config of `conv-denoise`: the same fields as `conv`
 * ({@link ConvConfig}), with 32-filter convolutions in two stages by default.
 */
export type ConvDenoiseConfig = ConvConfig;
