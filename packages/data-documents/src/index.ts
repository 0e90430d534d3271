/**
 * Paired dirty and clean document images for aekit: a seeded generator of
 * scanned-looking pages (real text in DejaVu fonts, then stains, folds,
 * crumples, uneven paper, faded ink, blur and scanner noise, each with its
 * own strength), a reader for your own folders of paired scans, PNG and
 * JPEG files in grayscale, and the `documents` dataset of random patches.
 *
 * @packageDocumentation
 */
export { cropValues, grayImageFromValues, grayImageValues, type DocumentPair, type GrayImage } from './gray-image.js';
export { DOCUMENT_FONTS, fontDirectory, registerDocumentFonts, type DocumentFont } from './fonts.js';
export { WORDS, randomHeading, randomParagraph, randomSentence, randomWord } from './text.js';
export { pageLayoutSchema, renderCleanPage, resolvePageLayout, type PageLayout, type PageLayoutOptions } from './layout.js';
export {
  degradationSchema,
  degradePage,
  NO_DEGRADATION,
  resolveDegradation,
  type Degradation,
  type DegradationOptions,
} from './degrade.js';
export { generateDocumentPair, generateDocumentPairs, type DocumentGeneratorOptions } from './generate.js';
export {
  decodeGrayImage,
  detectImageFormat,
  encodeGrayImage,
  formatOfFileName,
  IMAGE_EXTENSIONS,
  isImageFileName,
  readGrayImage,
  writeGrayImage,
  type ImageFormat,
} from './image-files.js';
export { PAIRED_FOLDERS, readPairedFolder, writePairedFolder } from './paired-folder.js';
export { isPairedDataset, type PairedDataset } from './paired-dataset.js';
export { DocumentPatchDataset, type PatchSamplingOptions } from './patch-dataset.js';
export {
  createDocumentsProvider,
  DOCUMENTS_DATASET,
  documentsDataset,
  loadDocuments,
  type DocumentsDatasetOptions,
  type LoadedDocuments,
} from './provider.js';
