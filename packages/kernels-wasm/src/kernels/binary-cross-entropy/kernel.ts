import type { AekitKernel } from '../../shared/aekit-kernel.js';
import { BINARY_CROSS_ENTROPY, BINARY_CROSS_ENTROPY_GRAD, BINARY_CROSS_ENTROPY_SUM, BINARY_CROSS_ENTROPY_SUM_GRAD } from '@aekit/core/kernels';
import { binaryCrossEntropyGradWasm, binaryCrossEntropySumGradWasm, binaryCrossEntropySumWasm, binaryCrossEntropyWasm } from './wasm.js';

/** The binary cross-entropy loss as one kernel (core's op runs it, and differentiates it by the next). @internal */
export const binaryCrossEntropyKernel: AekitKernel = {
  name: BINARY_CROSS_ENTROPY,
  summary: 'the elementwise binary cross-entropy in one pass with SIMD logarithms; composed from tfjs ops on other backends',
  adds: [binaryCrossEntropyWasm],
};

/** The binary cross-entropy's gradient for the outputs as one kernel. @internal */
export const binaryCrossEntropyGradKernel: AekitKernel = {
  name: BINARY_CROSS_ENTROPY_GRAD,
  summary: "the binary cross-entropy's gradient for the outputs in one pass",
  adds: [binaryCrossEntropyGradWasm],
};

/** The binary cross-entropy summed to a scalar in one kernel (the loss without a mask: no elementwise tensor, no reduction). @internal */
export const binaryCrossEntropySumKernel: AekitKernel = {
  name: BINARY_CROSS_ENTROPY_SUM,
  summary: 'the binary cross-entropy summed (or averaged) to one float in one pass, in double over fixed blocks; the elementwise kernel and a reduction on other backends',
  adds: [binaryCrossEntropySumWasm],
};

/** The summed binary cross-entropy's gradient for the outputs, from the scalar upstream gradient, as one kernel. @internal */
export const binaryCrossEntropySumGradKernel: AekitKernel = {
  name: BINARY_CROSS_ENTROPY_SUM_GRAD,
  summary: "the summed binary cross-entropy's gradient for the outputs in one pass from the scalar upstream gradient (no Fill, no Multiply)",
  adds: [binaryCrossEntropySumGradWasm],
};
