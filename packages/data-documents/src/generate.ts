import { deriveSeed } from '@aekit/core';
import { degradePage, type DegradationOptions } from './degrade.js';
import type { DocumentPair } from './gray-image.js';
import { renderCleanPage, type PageLayoutOptions } from './layout.js';

/** Options of {@link generateDocumentPair}: page layout and dirt. */
export interface DocumentGeneratorOptions {
  /** Page size and the ranges each page's layout is drawn from. */
  layout?: PageLayoutOptions;
  /** Strength of each kind of dirt; defaults give a well-used page. */
  dirt?: DegradationOptions;
}

/**
 * Generates one page pair: a clean page of real text and its dirty copy.
 *
 * @param options - Layout and dirt.
 * @param seed - Same seed and options, same pair (byte for byte).
 * @param name - Name of the pair; `page-<seed>` by default.
 */
export function generateDocumentPair(options: DocumentGeneratorOptions, seed: number, name = `page-${seed}`): DocumentPair {
  const clean = renderCleanPage(options.layout ?? {}, seed);
  return { name, clean, dirty: degradePage(clean, options.dirt ?? {}, seed) };
}

/**
 * Generates `count` page pairs named `page-0000`, `page-0001`, …, each
 * with its own seed derived from `seed`.
 *
 * @param count - Number of pages.
 * @param options - Layout and dirt.
 * @param seed - Seed of the whole set.
 */
export function generateDocumentPairs(count: number, options: DocumentGeneratorOptions, seed: number): DocumentPair[] {
  return Array.from({ length: count }, (_, i) => generateDocumentPair(options, deriveSeed(seed, i), `page-${String(i).padStart(4, '0')}`));
}
