// The count of the guides' and READMEs' blocks by what the guide test does
// with them, for the root README's line between its guide-blocks markers.
//
//   node tests/guides/scripts/block-count.mjs           # prints the line
//   node tests/guides/scripts/block-count.mjs --write   # writes it into README.md
//   node tests/guides/scripts/block-count.mjs --check   # exits 1 when README.md's differs
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { allDocuments, blockCounts, NOT_READ, REPO } from '../blocks.mjs';

const START = '<!-- guide-blocks:start -->';
const END = '<!-- guide-blocks:end -->';

/** The README's sentence for the counts of `blockCounts`. */
export function countLine(counts = blockCounts(allDocuments())) {
  const notRead = Object.keys(NOT_READ).length;
  return (
    `The guide test (\`tests/guides\`, part of \`pnpm test\`) reads ${counts.documents} documents (the guides and the READMEs${notRead ? `, less ${notRead} it names with its reason` : ''}): ` +
    `it runs ${counts.run} shell blocks (${counts.variants} of them as a marked small variant), checks ${counts.checked} YAML, JSON, Dockerfile and nginx blocks for syntax, and skips ${counts.skipped}, each with its reason in the test's report.`
  );
}

/** `readme` with the line between the markers replaced. */
export function withCountLine(readme, line) {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start === -1 || end < start) throw new Error(`README.md has no ${START} … ${END} markers`);
  return `${readme.slice(0, start + START.length)}\n${line}\n${readme.slice(end)}`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const file = join(REPO, 'README.md');
  const readme = readFileSync(file, 'utf8');
  const next = withCountLine(readme, countLine());
  if (process.argv.includes('--check')) {
    if (next !== readme) {
      console.error('README.md: the guide block count is out of date; run node tests/guides/scripts/block-count.mjs --write');
      process.exit(1);
    }
    console.log('README.md: the guide block count is up to date');
  } else if (process.argv.includes('--write')) {
    writeFileSync(file, next);
    console.log(countLine());
  } else {
    console.log(countLine());
  }
}
