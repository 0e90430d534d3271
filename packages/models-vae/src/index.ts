/**
 * Variational autoencoders for aekit: the dense `vae` and the convolutional
 * `conv-vae` families, the {@link VariationalAutoencoder} model with seeded
 * sampling and interpolation, the negative ELBO of a dataset, and the report
 * that draws the latent space, the latent manifold, samples and
 * interpolations.
 *
 * @packageDocumentation
 */
export { plugin } from './plugin.js';
export { sampleCommand } from './commands/sample.js';
export { vaeFamily } from './vae/family.js';
export { vaeConfigSchema, type VaeConfig } from './vae/config.js';
export { convVaeFamily } from './conv-vae/family.js';
export { convVaeConfigSchema, type ConvVaeConfig } from './conv-vae/config.js';
export { HIDDEN_ACTIVATIONS, type HiddenActivation } from './schema.js';
export {
  VariationalAutoencoder,
  reparameterize,
  type LatentDistribution,
  type VariationalAutoencoderParts,
} from './variational-autoencoder.js';
export { composeVae, type GaussianHeads, type VaeGraph, type VaeModels } from './compose-vae.js';
export { vaeLoss, type VaeObjectiveOptions } from './objective.js';
export { evaluateElbo, type EvaluateElboOptions, type NegativeElbo } from './elbo.js';
export { reportVae, MANIFOLD_SIZE, type VaeReport } from './report.js';
export { inverseNormalCdf } from './inverse-normal-cdf.js';
export { pictureShape, type PictureShape } from './pictures.js';
export { convVaeDataDefaults, vaeDataDefaults, type VaeDataDefaults } from './data-defaults.js';
