import { tf } from '../tf.js';
import { backendHasKernel } from './backend-has-kernel.js';

// A whole LSTM sequence as one kernel, forward and gradient: the contract
// between the op below (run by an LSTM layer) and the kernel packages that
// implement it. The layers graph of tfjs runs about fifteen small kernels a
// step forward and thirty back; these two run the sequence in one each.

/**
 * An LSTM over a whole sequence from zero states, gates stacked as Keras
 * stacks them (input, forget, cell, output):
 * `z_t = x_t W + h_{t-1} R + b`, `i, f, o = σ(z)`, `g = tanh(z_c)`,
 * `c_t = f c_{t-1} + i g`, `h_t = o tanh(c_t)`, where σ is
 * {@link LstmSequenceAttrs.recurrentActivation}.
 *
 * Inputs (float32): `x` `[batch, steps, features]`, `kernel` (W)
 * `[features, 4 units]`, `recurrentKernel` (R) `[units, 4 units]`, `bias`
 * (b) `[4 units]`. Outputs, in order: `h` `[batch, steps, units]` (every
 * step's output), `c` `[batch, steps, units]` (every step's cell state) and
 * `z` `[batch, steps, 4 units]` (every step's gate pre-activations); the
 * last two are what {@link LSTM_SEQUENCE_GRAD} needs.
 */
export const LSTM_SEQUENCE = 'AekitLstmSequence';

/**
 * The gradient of {@link LSTM_SEQUENCE}. Inputs: `x`, `kernel`,
 * `recurrentKernel`, the forward outputs `h`, `c`, `z`, and `dh`
 * `[batch, steps, units]`, the gradient of every step's `h`. Outputs, in
 * order: `dx` `[batch, steps, features]`, `dKernel`, `dRecurrentKernel`,
 * `dBias`, each shaped as what it is the gradient of. The gradient through
 * σ is tfjs': for `hardSigmoid` (`clip(0.2 z + 0.5, 0, 1)`) 0.2 where
 * `-2.5 <= z <= 2.5` (the clip's bounds included), else 0.
 */
export const LSTM_SEQUENCE_GRAD = 'AekitLstmSequenceGrad';

/** The attributes of {@link LSTM_SEQUENCE} and {@link LSTM_SEQUENCE_GRAD}. */
export interface LstmSequenceAttrs {
  /** The gates' activation: tfjs' LSTM default `hardSigmoid`, or `sigmoid` (Keras' and PyTorch's). The cell's is always `tanh`. */
  recurrentActivation: 'hardSigmoid' | 'sigmoid';
}

/** The gate activations {@link LSTM_SEQUENCE} runs. */
export const LSTM_GATE_ACTIVATIONS: readonly LstmSequenceAttrs['recurrentActivation'][] = ['hardSigmoid', 'sigmoid'];

const gradConfig: tf.GradConfig = {
  kernelName: LSTM_SEQUENCE,
  inputsToSave: ['x', 'kernel', 'recurrentKernel'],
  outputsToSave: [true, true, true],
  gradFunc: (dy, saved, attrs) => {
    const [x, kernel, recurrentKernel, h, c, z] = saved as tf.Tensor[];
    // Only `h` is used downstream; the engine hands zeros for `c` and `z`.
    const dh = Array.isArray(dy) ? dy[0]! : dy;
    // One kernel gives all four, so it runs here rather than in each input's
    // thunk (tfjs runs every thunk in a tidy of its own); those no input asks
    // for are freed with the rest of the backward pass.
    const [dx, dKernel, dRecurrentKernel, dBias] = tf.engine().runKernel(LSTM_SEQUENCE_GRAD, { x, kernel, recurrentKernel, h, c, z, dh } as unknown as tf.NamedTensorMap, attrs) as tf.Tensor[];
    return { x: () => dx!, kernel: () => dKernel!, recurrentKernel: () => dRecurrentKernel!, bias: () => dBias! };
  },
};

/**
 * Every step's output of an LSTM over `x` from zero states, as one kernel
 * ({@link LSTM_SEQUENCE}), differentiable. Callers check
 * {@link lstmSequenceAvailable} first and run tfjs' own LSTM elsewhere.
 *
 * @param x - `[batch, steps, features]`.
 * @param kernel - `[features, 4 units]`, gates stacked input, forget, cell, output.
 * @param recurrentKernel - `[units, 4 units]`.
 * @param bias - `[4 units]`.
 * @param recurrentActivation - The gates' activation.
 * @returns `h`, `[batch, steps, units]`.
 * @example
 * ```ts
 * import { tf } from '@aekit/core';
 * import { lstmSequence, lstmSequenceAvailable } from '@aekit/core/kernels';
 *
 * declare const x: tf.Tensor; // [2, 10, 3]: 2 sequences of 10 steps, 3 features
 * declare const kernel: tf.Tensor, recurrentKernel: tf.Tensor, bias: tf.Tensor; // [3, 16], [4, 16], [16]: 4 units
 * if (lstmSequenceAvailable()) {
 *   const h = lstmSequence(x, kernel, recurrentKernel, bias, 'sigmoid');
 *   h.shape; // [2, 10, 4]: every step's output of the 4 units
 * }
 * ```
 */
export function lstmSequence(x: tf.Tensor, kernel: tf.Tensor, recurrentKernel: tf.Tensor, bias: tf.Tensor, recurrentActivation: LstmSequenceAttrs['recurrentActivation']): tf.Tensor {
  if (tf.getGradient(LSTM_SEQUENCE) !== gradConfig) tf.registerGradient(gradConfig);
  const attrs: LstmSequenceAttrs = { recurrentActivation };
  const [h, c, z] = tf.engine().runKernel(LSTM_SEQUENCE, { x, kernel, recurrentKernel, bias }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
  tf.dispose([c!, z!]);
  return h!;
}

/**
 * Whether the backend in use runs {@link LSTM_SEQUENCE} and its gradient.
 *
 * @example
 * ```ts
 * import { useBackend } from '@aekit/core';
 * import { lstmSequenceAvailable } from '@aekit/core/kernels';
 * import { registerWasmKernels } from '@aekit/kernels-wasm';
 *
 * await useBackend('cpu');
 * lstmSequenceAvailable(); // false: tfjs' own LSTM runs
 * registerWasmKernels();
 * await useBackend('wasm');
 * lstmSequenceAvailable(); // true
 * ```
 */
export function lstmSequenceAvailable(): boolean {
  return backendHasKernel(LSTM_SEQUENCE) && backendHasKernel(LSTM_SEQUENCE_GRAD);
}
