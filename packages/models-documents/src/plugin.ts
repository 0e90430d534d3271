import type { AutoencoderPlugin } from '@aekit/core';
import { documentsDataset } from '@aekit/data-documents';
import { denoiseCommand } from './commands/denoise.js';
import { makeDocumentsCommand } from './commands/make-documents.js';
import { docDenoiserFamily } from './doc-denoiser/family.js';

/**
 * The aekit plugin of this package: the `doc-denoiser` family, the
 * `documents` dataset it trains on, and the `ae denoise` and
 * `ae make-documents` commands.
 */
export const plugin: AutoencoderPlugin = {
  name: '@aekit/models-documents',
  // Lets worker threads import this module to build the same models (fit's `workers`).
  module: import.meta.url,
  families: [docDenoiserFamily],
  commands: [denoiseCommand, makeDocumentsCommand],
  datasets: [documentsDataset],
};
