import type { AekitKernel } from '../../shared/aekit-kernel.js';
import { conv2DBackpropFilterWasm } from './wasm.js';

/** The convolution's filter gradient, which tfjs' wasm backend lacks. @internal */
export const conv2DBackpropFilterKernel: AekitKernel = {
  name: 'Conv2DBackpropFilter',
  summary: 'the backend ships without it: summed directly on the heap for layers with few channels, else as an XNNPACK convolution',
  adds: [conv2DBackpropFilterWasm],
};
