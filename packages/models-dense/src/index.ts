/**
 * Fully-connected autoencoder families for aekit: `dense` (simple),
 * `sparse`, `deep` and `contractive`, after the Keras blog's MNIST
 * tutorials. Any of them becomes a denoising autoencoder when trained with
 * the trainer's `noise` option. Register them with `registry.use(plugin)`.
 *
 * @packageDocumentation
 */
export { plugin } from './plugin.js';
export { denseFamily } from './dense/family.js';
export { denseConfigSchema, type DenseConfig } from './dense/config.js';
export { sparseFamily } from './sparse/family.js';
export { sparseConfigSchema, type SparseConfig } from './sparse/config.js';
export { deepFamily } from './deep/family.js';
export { deepConfigSchema, type DeepConfig } from './deep/config.js';
export { contractiveFamily } from './contractive/family.js';
export { contractiveConfigSchema, type ContractiveConfig } from './contractive/config.js';
export {
  measureCodeActivity,
  NEAR_ZERO_THRESHOLD,
  type CodeActivity,
  type CodeActivityOptions,
} from './code-activity.js';
export { codeGrid, codeImageShape, flatInputSize } from './shapes.js';
export { HIDDEN_ACTIVATIONS, OUTPUT_ACTIVATIONS, OUTPUT_BY_DATA, outputForData, type HiddenActivation, type OutputActivation } from './schema.js';
export { TUTORIAL_TRAINING } from './training.js';
