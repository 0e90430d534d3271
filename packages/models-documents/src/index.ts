/**
 * Cleaning scanned documents with aekit: the fully convolutional
 * `doc-denoiser` family trained on dirty/clean page patches, seamless
 * tiled cleaning of whole pages of any size, page-level RMSE and PSNR, and
 * the `ae denoise` command.
 *
 * @packageDocumentation
 */
export { plugin } from './plugin.js';
export { docDenoiserFamily } from './doc-denoiser/family.js';
export { docDenoiserConfigSchema, type DocDenoiserConfig } from './doc-denoiser/config.js';
export { DOC_DENOISER, DocumentDenoiser } from './doc-denoiser/denoiser.js';
export { blendWeights, denoiseImage, tilePage, tileStarts, type TileModel, type TilingOptions } from './tiling.js';
export { tileModelOf } from './tile-model.js';
export { describePageDenoising, measurePages, type PageDenoisingQuality, type PageQuality } from './quality.js';
export { DENOISING_FIGURE, reportDocumentDenoising, type DocumentDenoisingReport } from './report.js';
export { denoiseCommand, denoiseFiles, listImages, resolveModelDirectory, type DenoiseFilesOptions } from './commands/denoise.js';
export { makeDocumentsCommand } from './commands/make-documents.js';
