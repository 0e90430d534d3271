import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ES module without types
import { absoluteLinks } from '../../../scripts/readme-links.mjs';
// @ts-expect-error: a plain ES module without types
import { END, PACKAGE_DIR, START, withResultsSection } from '../scripts/readme-section.mjs';

/** A section as the results script writes it: links relative to the repository root. */
const section = [
  'Figures in [packages/data-tables/results/results.json](packages/data-tables/results/results.json).',
  '',
  '![codes](packages/data-tables/results/penguins-codes.png)',
].join('\n');

describe('the results section of the READMEs (scripts/readme-section.mjs)', () => {
  it('is written into the package README with absolute links, which package-metadata.mjs leaves as they are', async () => {
    const readme = await readFile(join(PACKAGE_DIR, 'README.md'), 'utf8');
    const next = withResultsSection(readme, section, true)!;
    expect(next).toContain('[results/results.json](https://github.com/aekit/aekit/blob/main/packages/data-tables/results/results.json)');
    expect(next).toContain('![codes](https://github.com/aekit/aekit/raw/main/packages/data-tables/results/penguins-codes.png)');
    expect(next).not.toMatch(/\]\((packages\/|results\/)/);
    // What `node scripts/package-metadata.mjs --check` compares: the README with its links made absolute.
    expect(absoluteLinks(next, PACKAGE_DIR)).toBe(next);
    // Only the part between the markers changes.
    expect(next.slice(0, next.indexOf(START))).toBe(readme.slice(0, readme.indexOf(START)));
    expect(next.slice(next.indexOf(END))).toBe(readme.slice(readme.indexOf(END)));
  });

  it('is written into the root README as it is, and not into a README without markers', () => {
    const root = `# aekit\n\n${START}\nold\n${END}\n\nmore\n`;
    expect(withResultsSection(root, section, false)).toBe(`# aekit\n\n${START}\n${section}\n${END}\n\nmore\n`);
    expect(withResultsSection('# no markers\n', section, false)).toBeUndefined();
  });
});
