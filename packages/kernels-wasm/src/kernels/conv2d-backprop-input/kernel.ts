import type { AekitKernel } from '../../shared/aekit-kernel.js';
import { conv2DBackpropInputWasm } from './wasm.js';

/** The convolution's input gradient as an XNNPACK convolution. @internal */
export const conv2DBackpropInputKernel: AekitKernel = {
  name: 'Conv2DBackpropInput',
  summary: "as a forward XNNPACK convolution of the padded (and, for strides, spread) gradient instead of the backend's direct loop",
  wraps: [{ backend: 'wasm', wrap: conv2DBackpropInputWasm }],
};
