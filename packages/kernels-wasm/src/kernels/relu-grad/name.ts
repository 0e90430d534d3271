/** The ReLU's gradient, `dy * step(x)` (NaN where `x` is NaN): inputs `x`, `dy`; registered by this package, which runs it as `Relu`'s gradient. */
export const RELU_GRAD = 'AekitReluGrad';
