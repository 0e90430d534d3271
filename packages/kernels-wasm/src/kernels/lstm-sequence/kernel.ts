import { LSTM_SEQUENCE, LSTM_SEQUENCE_GRAD } from '@aekit/core/kernels';
import type { AekitKernel } from '../../shared/aekit-kernel.js';
import { lstmSequenceGradWasm, lstmSequenceWasm } from './wasm.js';

/** A whole LSTM sequence as one kernel (run by models-seq's LSTM layers through core's op). @internal */
export const lstmSequenceKernel: AekitKernel = {
  name: LSTM_SEQUENCE,
  summary: "an LSTM layer's whole sequence in one kernel: the input products for every step at once, then per step one XNNPACK product and one SIMD pass for the gates, instead of tfjs-layers' fifteen kernels a step; tfjs' LSTM runs on other backends",
  adds: [lstmSequenceWasm],
};

/** Its gradient as one kernel. @internal */
export const lstmSequenceGradKernel: AekitKernel = {
  name: LSTM_SEQUENCE_GRAD,
  summary: "the LSTM sequence's gradient in one kernel: per step backwards one SIMD pass for the gates and one product, then the weights' gradients as three products over all steps",
  adds: [lstmSequenceGradWasm],
};
