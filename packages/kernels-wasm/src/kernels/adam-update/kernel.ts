import type { AekitKernel } from '../../shared/aekit-kernel.js';
import { ADAM_UPDATE } from '@aekit/core/kernels';
import { adamUpdateWasm } from './wasm.js';

/** One Adam step for a variable as one kernel (run by `FusedAdamOptimizer`). @internal */
export const adamUpdateKernel: AekitKernel = {
  name: ADAM_UPDATE,
  summary: "one Adam step a variable in one pass, bit for bit tfjs' AdamOptimizer (which runs on other backends)",
  adds: [adamUpdateWasm],
};
