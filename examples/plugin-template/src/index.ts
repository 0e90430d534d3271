/**
 * An example aekit plugin: the `tied` family, a tied-weights autoencoder
 * whose decoder is the transpose of its encoder. Copy this package to start
 * your own plugin; see the plugin guide in the documentation.
 *
 * @packageDocumentation
 */
export { plugin } from './plugin.js';
export { tiedFamily, codeGrid } from './family.js';
export { tiedConfigSchema, CODE_ACTIVATIONS, type TiedConfig } from './config.js';
export { TiedAutoencoder } from './tied-autoencoder.js';
export { TiedDense, sourceKernel, OUTPUT_ACTIVATIONS, type OutputActivation, type TiedDenseArgs } from './tied-dense.js';
export { reportTied, type TiedReport } from './report.js';
