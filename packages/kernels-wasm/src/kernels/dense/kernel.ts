import { DENSE, DENSE_GRAD } from '@aekit/core/kernels';
import type { AekitKernel } from '../../shared/aekit-kernel.js';
import { denseGradWasm, denseWasm } from './wasm.js';

/** A Dense layer forward as one kernel (run by tfjs-layers' Dense layers through core's route). @internal */
export const denseKernel: AekitKernel = {
  name: DENSE,
  summary: "a Dense layer forward in one kernel while training too (tfjs un-fuses its product under the tape): XNNPACK's product with the bias and activation fused",
  adds: [denseWasm],
};

/** Its gradient as one kernel. @internal */
export const denseGradKernel: AekitKernel = {
  name: DENSE_GRAD,
  summary: "a Dense layer's weight gradients in one kernel: the activation's gradient in one SIMD pass, the kernel's product and the bias's column sums, none through the tape; the input's product runs only where the tape asks for it",
  adds: [denseGradWasm],
};
