// Writes the results section between the `tables-results` markers of a
// README. The root README takes the section as written (links relative to
// the repository root); this package's README gets links relative to the
// package and then made absolute, as scripts/package-metadata.mjs keeps
// package READMEs (a registry page has no results/ folder), so that
// regenerating the results never breaks `package-metadata.mjs --check`.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { absoluteLinks } from '../../../scripts/readme-links.mjs';

/** This package's directory. */
export const PACKAGE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export const START = '<!-- tables-results:start -->';
export const END = '<!-- tables-results:end -->';

/** The markers of a named section: `tables-results` (the penguins) or `public-tables`. */
export function markers(name = 'tables-results') {
  return { start: `<!-- ${name}:start -->`, end: `<!-- ${name}:end -->` };
}

/**
 * The section as one README shows it: as written for the root README, with
 * package-relative, then absolute links for the package's own README.
 *
 * @param section - Markdown with links relative to the repository root.
 * @param forPackage - Whether the README is this package's.
 */
export function sectionFor(section, forPackage) {
  if (!forPackage) return section;
  return absoluteLinks(section.replaceAll('packages/data-tables/results/', 'results/'), PACKAGE_DIR);
}

/**
 * `text` with the part between the markers replaced by the section, or
 * undefined when the README has no markers.
 *
 * @param text - The README.
 * @param section - Markdown with links relative to the repository root.
 * @param forPackage - Whether the README is this package's.
 * @param name - Which section's markers: `tables-results` unless given.
 */
export function withResultsSection(text, section, forPackage, name) {
  const { start, end } = markers(name);
  if (!text.includes(start) || !text.includes(end)) return undefined;
  return text.slice(0, text.indexOf(start) + start.length) + '\n' + sectionFor(section, forPackage) + '\n' + text.slice(text.indexOf(end));
}
