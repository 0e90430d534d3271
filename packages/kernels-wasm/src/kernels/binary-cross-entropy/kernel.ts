import type { AekitKernel } from '../../shared/aekit-kernel.js';
import { BINARY_CROSS_ENTROPY, BINARY_CROSS_ENTROPY_GRAD } from '@aekit/core/kernels';
import { binaryCrossEntropyGradWasm, binaryCrossEntropyWasm } from './wasm.js';

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
