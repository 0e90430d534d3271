/**
 * The one TensorFlow.js instance that aekit and its plugins share.
 *
 * We depend on the `@tensorflow/tfjs` union package rather than on
 * `tfjs-core` plus `tfjs-layers`: layers need the chained tensor methods
 * (`t.flatten()` and so on) that the union registers, and tfjs-core's ESM
 * files cannot be imported one by one in Node. Plugins import `tf` from
 * `@aekit/core` so that every package talks to the same engine.
 */
import * as tf from '@tensorflow/tfjs';

export { tf };
