import type { AekitKernel } from '../../shared/aekit-kernel.js';
import { sigmoidGradConfig } from './gradient.js';
import { SIGMOID_GRAD } from './name.js';
import { sigmoidGradWasm } from './wasm.js';

/** The sigmoid's gradient as one kernel, registered as `Sigmoid`'s gradient. @internal */
export const sigmoidGradKernel: AekitKernel = {
  name: SIGMOID_GRAD,
  summary: "the sigmoid's gradient in one pass instead of tfjs' Sub, Multiply and Multiply (which run on other backends)",
  adds: [sigmoidGradWasm],
  gradients: [sigmoidGradConfig],
};
