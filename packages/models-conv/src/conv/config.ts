import { convConfigSchema } from '../config.js';

/** Config schema of the `conv` family: the shared convolutional fields, Conv2D 16-8-8 by default. */
export const convFamilyConfigSchema = convConfigSchema({ encoderFilters: [16, 8, 8] });
