import type { AekitKernel } from '../../shared/aekit-kernel.js';
import { conv2DWasm } from './wasm.js';

/** Convolutions with one channel on either side, on the heap. @internal */
export const conv2DKernel: AekitKernel = {
  name: 'Conv2D',
  summary: 'layers with one input or one output channel run on the heap (XNNPACK computes output channels in blocks of 8)',
  wraps: [{ backend: 'wasm', wrap: conv2DWasm }],
};

/** The same for the fused convolution (bias and activation). @internal */
export const fusedConv2DKernel: AekitKernel = {
  name: 'FusedConv2D',
  summary: 'as `Conv2D`, with the bias added on the heap and the activation run after',
  wraps: [{ backend: 'wasm', wrap: conv2DWasm }],
};
