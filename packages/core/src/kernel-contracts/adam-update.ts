/** One Adam step for a variable: inputs `value`, `m`, `v`, `gradient` (all of one shape); outputs the new value, `m` and `v`, in fresh buffers. */
export const ADAM_UPDATE = 'AekitAdamUpdate';

/** The attributes of {@link ADAM_UPDATE}: the hyperparameters, and `1 - beta^t` for the bias corrections. */
export interface AdamUpdateAttrs {
  beta1: number;
  beta2: number;
  epsilon: number;
  learningRate: number;
  /** `1 - beta1^t`, as the float32 tfjs keeps. */
  c1: number;
  /** `1 - beta2^t`. */
  c2: number;
}
