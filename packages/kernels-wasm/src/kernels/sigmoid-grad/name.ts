/** The sigmoid's gradient, `dy * (y * (1 - y))` from its output `y`: inputs `y`, `dy`; registered by this package, which runs it as `Sigmoid`'s gradient. */
export const SIGMOID_GRAD = 'AekitSigmoidGrad';
