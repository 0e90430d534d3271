/**
 * Fully-connected autoencoder families for aekit: `dense` (simple),
 * `sparse`, `deep` and `contractive`, after the Keras blog's MNIST
 * tutorials. Any of them becomes a denoising autoencoder when trained with
 * the trainer's `noise` option. Register them with `registry.use(plugin)`.
 *
 * @packageDocumentation
 */
export { plugin } from './plugin.js';
export { denseFamily, denseConfigSchema, type DenseConfig } from './families/dense.js';
export { sparseFamily, sparseConfigSchema, type SparseConfig } from './families/sparse.js';
export { deepFamily, deepConfigSchema, type DeepConfig } from './families/deep.js';
export { contractiveFamily, contractiveConfigSchema, type ContractiveConfig } from './families/contractive.js';
export {
  measureCodeActivity,
  NEAR_ZERO_THRESHOLD,
  type CodeActivity,
  type CodeActivityOptions,
} from './code-activity.js';
export { codeGrid, codeImageShape, flatInputSize } from './shapes.js';
export { HIDDEN_ACTIVATIONS, OUTPUT_ACTIVATIONS, type HiddenActivation, type OutputActivation } from './schema.js';
export { TUTORIAL_TRAINING } from './training.js';
