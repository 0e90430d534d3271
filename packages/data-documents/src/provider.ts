import { ConfigError, deriveSeed, parseConfig, shuffledIndices, z, type DatasetLoadOptions, type DatasetProvider, type LoadedDataset } from '@aekit/core';
import { degradationSchema, type DegradationOptions } from './degrade.js';
import { generateDocumentPairs } from './generate.js';
import type { DocumentPair } from './gray-image.js';
import { pageLayoutSchema, type PageLayoutOptions } from './layout.js';
import { readPairedFolder } from './paired-folder.js';
import { DocumentPatchDataset } from './patch-dataset.js';

/** Name of the dataset on the command line: `ae train … --dataset documents`. */
export const DOCUMENTS_DATASET = 'documents';

const optionsSchema = z.object({
  trainPages: z.number().int().positive().default(40),
  testPages: z.number().int().positive().default(8),
  patchSize: z.number().int().min(8).default(64),
  trainPatchesPerPage: z.number().int().positive().default(128),
  testPatchesPerPage: z.number().int().positive().default(32),
  layout: pageLayoutSchema.default(pageLayoutSchema.parse({})),
  dirt: degradationSchema.default(degradationSchema.parse({})),
});

/** Settings of the `documents` dataset; every field has a default. */
export interface DocumentsDatasetOptions {
  /** Generated pages to cut training patches from; 40 by default. */
  trainPages?: number;
  /** Generated pages to cut test patches from (and to measure whole-page cleaning on); 8 by default. */
  testPages?: number;
  /** Side of the square patches; 64 by default. */
  patchSize?: number;
  /** Training patches per page; 128 by default. */
  trainPatchesPerPage?: number;
  /** Test patches per page; 32 by default. */
  testPatchesPerPage?: number;
  /** Layout of generated pages (600x800 by default). */
  layout?: PageLayoutOptions;
  /** Dirt on generated pages; the defaults give a well-used page. */
  dirt?: DegradationOptions;
}

/** Training and test patches of page pairs; both are {@link DocumentPatchDataset}s. */
export interface LoadedDocuments extends LoadedDataset {
  train: DocumentPatchDataset;
  test: DocumentPatchDataset;
}

/**
 * Loads the `documents` data: random patches of generated page pairs, or
 * of the user's own pairs when `dir` names a folder with `dirty/` and
 * `clean/` (see {@link readPairedFolder}). The user's pages are split by
 * name: every fifth page (at least one) is a test page. Test pages never
 * lend patches to training.
 *
 * @param options - Limits, folder and seed from `ae train`, and the dataset's own settings.
 * @throws ConfigError for a bad setting; DataFileError naming a bad file of the folder.
 */
export async function loadDocuments(options: DatasetLoadOptions & DocumentsDatasetOptions): Promise<LoadedDocuments> {
  const { trainLimit, testLimit, dir, seed, ...own } = options;
  const settings = parseConfig(optionsSchema, own, DOCUMENTS_DATASET);
  let trainPages: DocumentPair[];
  let testPages: DocumentPair[];
  let source: string;
  if (dir) {
    const pairs = await readPairedFolder(dir);
    if (pairs.length < 2) throw new ConfigError('data', `${dir} holds ${pairs.length} page pair; at least 2 are needed to keep one for testing`);
    const isTest = (i: number) => (pairs.length < 5 ? i === pairs.length - 1 : i % 5 === 4);
    trainPages = pairs.filter((_, i) => !isTest(i));
    testPages = pairs.filter((_, i) => isTest(i));
    source = `${dir} (${trainPages.length} training and ${testPages.length} test page pairs)`;
  } else {
    const generator = { layout: settings.layout, dirt: settings.dirt };
    trainPages = generateDocumentPairs(settings.trainPages, generator, deriveSeed(seed, 1));
    testPages = generateDocumentPairs(settings.testPages, generator, deriveSeed(seed, 2));
    source = `generated (${settings.trainPages} training and ${settings.testPages} test pages of ${settings.layout.width}x${settings.layout.height}, seed ${seed})`;
  }
  const patches = (pages: DocumentPair[], perPage: number, stream: number, limit?: number) => {
    const data = DocumentPatchDataset.sample(pages, { patchSize: settings.patchSize, patchesPerPage: perPage, seed: deriveSeed(seed, stream) });
    // Patches are drawn page by page; shuffling before a limit keeps every page represented.
    const shuffled = data.subset(shuffledIndices(data.size, deriveSeed(seed, stream, 1)));
    return limit !== undefined ? shuffled.take(limit) : shuffled;
  };
  return {
    train: patches(trainPages, settings.trainPatchesPerPage, 3, trainLimit),
    test: patches(testPages, settings.testPatchesPerPage, 4, testLimit),
    source: `${source}, ${settings.patchSize}x${settings.patchSize} patches`,
  };
}

/**
 * Makes a `documents` dataset provider with other settings than the
 * defaults, e.g. larger patches or cleaner pages:
 * `registry.use({ name: 'mine', families: [], datasets: [createDocumentsProvider({ patchSize: 96 })] })`.
 *
 * @param settings - Dataset settings; `ae train` adds limits, `--data` and the seed.
 */
export function createDocumentsProvider(settings: DocumentsDatasetOptions = {}): DatasetProvider {
  parseConfig(optionsSchema, settings, DOCUMENTS_DATASET);
  return {
    name: DOCUMENTS_DATASET,
    description: 'patches of scanned-looking pages (dirty input, clean target), generated with real fonts, or your own paired folder (--data DIR with dirty/ and clean/)',
    load: (options) => loadDocuments({ ...settings, ...options }),
  };
}

/** The `documents` dataset with its default settings, as the `doc-denoiser` plugin registers it. */
export const documentsDataset: DatasetProvider = createDocumentsProvider();
