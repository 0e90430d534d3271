/**
 * The contracts between aekit's ops and the kernel packages that implement
 * them (`@aekit/kernels-wasm`, native ones): the names, inputs and
 * attributes of aekit's own kernels, as tfjs' `kernel_names` is for its
 * own. Core runs each op as one kernel where the backend in use registers
 * it, and composes the same result from tfjs ops elsewhere. Import them
 * from `@aekit/core/kernels`.
 *
 * @packageDocumentation
 */
export {
  BINARY_CROSS_ENTROPY,
  BINARY_CROSS_ENTROPY_GRAD,
  BINARY_CROSS_ENTROPY_SUM,
  BINARY_CROSS_ENTROPY_SUM_BLOCK,
  BINARY_CROSS_ENTROPY_SUM_GRAD,
  PROBABILITY_EPSILON,
  type BinaryCrossEntropySumAttrs,
} from './binary-cross-entropy.js';
export { ADAM_UPDATE, type AdamUpdateAttrs } from './adam-update.js';
export { LSTM_GATE_ACTIVATIONS, LSTM_SEQUENCE, LSTM_SEQUENCE_GRAD, lstmSequence, lstmSequenceAvailable, type LstmSequenceAttrs } from './lstm-sequence.js';
export {
  checkUnitFloatsFromBytes,
  UNIT_FLOAT_OF_BYTE,
  UNIT_FLOATS_FROM_BYTES,
  unitFloatsFromBytes,
  unitFloatsInto,
  type UnitFloatsFromBytesAttrs,
} from './unit-floats-from-bytes.js';
export { DENSE, DENSE_GRAD, DENSE_ACTIVATIONS, dense, denseAvailable, type DenseActivation, type DenseAttrs } from './dense.js';
export { routeDenseLayers } from './dense-layer-route.js';
export { backendHasKernel } from './backend-has-kernel.js';
export { useKernels, kernelPackages, type KernelPackage } from '../backend/kernel-packages.js';
