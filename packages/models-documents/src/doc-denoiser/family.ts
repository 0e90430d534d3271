import type { ModelFamily } from '@aekit/core';
import { DOCUMENTS_DATASET } from '@aekit/data-documents';
import { docDenoiserConfigSchema, type DocDenoiserConfig } from './config.js';
import { DOC_DENOISER, DocumentDenoiser } from './denoiser.js';
import { reportDocumentDenoising } from '../report.js';

/**
 * `doc-denoiser`: a fully convolutional denoising autoencoder that cleans
 * scanned pages. Trained on random 64x64 patches of the `documents` data
 * (dirty patch in, clean patch as the target, mean squared error), it
 * cleans pages of any size tile by tile. Stages of a 3x3 convolution and a
 * stride-2 convolution (16 then 32 filters) give a code of a quarter the
 * resolution; transposed convolutions bring it back, and a sigmoid
 * convolution gives the clean page.
 */
export const docDenoiserFamily: ModelFamily<typeof docDenoiserConfigSchema> = {
  name: DOC_DENOISER,
  description: 'fully convolutional page cleaner: dirty scan patches in, clean text out; cleans pages of any size by tiling',
  configSchema: docDenoiserConfigSchema,
  training: { dataset: DOCUMENTS_DATASET, epochs: 6, batchSize: 16, learningRate: 0.002 },
  create: (config: DocDenoiserConfig, context) => new DocumentDenoiser(config, context.dataShape),
  report: reportDocumentDenoising,
};
