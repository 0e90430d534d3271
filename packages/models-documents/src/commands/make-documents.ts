import { resolve } from 'node:path';
import { commandOptions, deriveSeed, integerIn, option, pluginCommand } from '@aekit/core';
import { generateDocumentPair, writePairedFolder, type DocumentPair } from '@aekit/data-documents';

/** The options of `ae make-documents`, declared once: flags, help, defaults and checks derive from it. */
export const makeDocumentsOptions = commandOptions({
  pages: option(integerIn({ min: 1 }), { value: 'n', help: 'number of page pairs', default: 8 }),
  seed: option(integerIn({ min: 0 }), { value: 'n', help: 'seed of the pages', default: 0 }),
});

/**
 * `ae make-documents <folder>`: writes generated page pairs as a paired
 * folder (`dirty/` and `clean/`), to look at the generator's pages or to
 * feed them to other tools; `ae train doc-denoiser --data <folder>` reads
 * such a folder back.
 */
export const makeDocumentsCommand = pluginCommand({
  name: 'make-documents',
  description: 'write generated scanned-looking pages as dirty/ and clean/ PNG pairs',
  arguments: [{ name: 'folder', description: 'where dirty/ and clean/ are written' }],
  options: makeDocumentsOptions,
  async run(args, { pages, seed }, io) {
    const dir = resolve(args[0]);
    const progress = io.progress('pages', pages);
    // The same pages as generateDocumentPairs(pages, {}, seed), one at a time for the progress bar.
    const pairs: DocumentPair[] = [];
    for (let i = 0; i < pages; i++) {
      pairs.push(generateDocumentPair({}, deriveSeed(seed, i), `page-${String(i).padStart(4, '0')}`));
      progress.update(i + 1);
    }
    progress.stop();
    await writePairedFolder(dir, pairs);
    io.log(`wrote ${pages} page pairs to ${dir}/dirty and ${dir}/clean`);
  },
});
