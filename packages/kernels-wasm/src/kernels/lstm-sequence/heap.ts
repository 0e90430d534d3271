import type { HeapFunction } from '../../heap/heap-kernels.js';

type StepSizes = readonly ['batch', 'steps', 'units', 'step', 'hard'];
const STEP_SIZES: StepSizes = ['batch', 'steps', 'units', 'step', 'hard'];

/** Why a step's sizes cannot run: a step past the sequence, or `hard` not 0 or 1. */
function refuseStep({ steps, step, hard }: Record<StepSizes[number], number>): string | undefined {
  if (step >= steps) return `step ${step} is past a sequence of ${steps} steps`;
  if (hard > 1) return `hard must be 0 (sigmoid gates) or 1 (hardSigmoid), got ${hard}`;
  return undefined;
}

/**
 * One LSTM step after its products: adds `recurrent` (h_{t-1} R, absent at
 * step 0) to this step of `z` ([batch, steps, 4 units], x W + b on entry),
 * and writes this step of `c` and `h` ([batch, steps, units]) and `hStep`
 * ([batch, units]) (lstm-step.c).
 */
export const lstmStep: HeapFunction<StepSizes> = {
  name: 'lstmStep',
  pointers: ['z', 'recurrent', 'c', 'h', 'hStep'],
  optional: ['recurrent'],
  sizes: STEP_SIZES,
  extents: ({ batch, steps, units }) => [batch * steps * 4 * units, batch * 4 * units, batch * steps * units, batch * steps * units, batch * units],
  refuse: refuseStep,
};

/**
 * One LSTM step of the gradient before its products: from `z` and `c`,
 * `dh` ([batch, steps, units]) and `dhRecurrent` (dz_{t+1} R^T, [batch,
 * units], absent at the last step), writes this step of `dz` ([batch,
 * steps, 4 units]) and `dzStep` ([batch, 4 units]) and updates `dcNext`
 * ([batch, units]) (lstm-step-gradient.c).
 */
export const lstmStepGradient: HeapFunction<StepSizes> = {
  name: 'lstmStepGradient',
  pointers: ['z', 'c', 'dh', 'dhRecurrent', 'dcNext', 'dz', 'dzStep'],
  optional: ['dhRecurrent'],
  sizes: STEP_SIZES,
  extents: ({ batch, steps, units }) => {
    const [all, step] = [batch * steps * units, batch * units];
    return [4 * all, all, all, step, step, 4 * all, 4 * step];
  },
  refuse: refuseStep,
};

/**
 * `c = sum over rows k of a[k - lag]^T b[k]` for `a` of [sequences x steps,
 * m], `b` of [sequences x steps, n] (`n` a multiple of 4) and `c` of [m, n],
 * skipping each sequence's first `lag` rows: lag 0 gives `x^T dz` (the
 * kernel's gradient), lag 1 `h_{t-1}^T dz_t` (the recurrent kernel's)
 * (transposed-product.c).
 */
export const transposedProduct: HeapFunction<readonly ['sequences', 'steps', 'm', 'n', 'lag']> = {
  name: 'transposedProduct',
  pointers: ['a', 'b', 'c'],
  sizes: ['sequences', 'steps', 'm', 'n', 'lag'],
  extents: ({ sequences, steps, m, n }) => [sequences * steps * m, sequences * steps * n, m * n],
  refuse: ({ n, lag }) => (n % 4 !== 0 ? `n must be a multiple of 4, got ${n}` : lag > 1 ? `lag must be 0 or 1, got ${lag}` : undefined),
};
