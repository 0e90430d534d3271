import type { AekitKernel } from '../../shared/aekit-kernel.js';
import { reluGradConfig } from './gradient.js';
import { RELU_GRAD } from './name.js';
import { reluGradWasm } from './wasm.js';

/** The ReLU's gradient as one kernel, registered as `Relu`'s gradient. @internal */
export const reluGradKernel: AekitKernel = {
  name: RELU_GRAD,
  summary: "the ReLU's gradient in one pass instead of tfjs' Step, Cast and Multiply (which run on other backends)",
  adds: [reluGradWasm],
  gradients: [reluGradConfig],
};
