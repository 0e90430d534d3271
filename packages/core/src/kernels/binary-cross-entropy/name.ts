// The binary cross-entropy's kernels by name, with their inputs: the
// contract between the op and gradient that run them and the backends that
// register them, as tfjs' kernel_names is for its own.

/** Elementwise binary cross-entropy: inputs `p` (outputs) and `t` (targets), `p` clipped to `[PROBABILITY_EPSILON, 1 - PROBABILITY_EPSILON]`. @internal */
export const BINARY_CROSS_ENTROPY = 'AekitBinaryCrossEntropy';

/** Its gradient for the outputs, `dy (p - t) / (p (1 - p))` with `p` clipped: inputs `p`, `t`, `dy`. @internal */
export const BINARY_CROSS_ENTROPY_GRAD = 'AekitBinaryCrossEntropyGrad';

/** Where outputs are clipped before their logarithm is taken, as Keras does. @internal */
export const PROBABILITY_EPSILON = 1e-7;
