/** The ReLU's gradient, `dy * step(x)` (NaN where `x` is NaN): inputs `x`, `dy`. @internal */
export const RELU_GRAD = 'AekitReluGrad';
