// Writes the root README's package table from the packages themselves:
// every non-private package under packages/, with its package.json `name`,
// `description` and a link to its folder, between the
// `<!-- packages:start -->` and `<!-- packages:end -->` markers. Packages
// are read from the directory, so a new one appears on the next run.
//
//   node apps/docs/scripts/generate-package-table.mjs          rewrites README.md
//   node apps/docs/scripts/generate-package-table.mjs --check  exits 1 when README.md is out of date
//
// test/generated.test.ts runs the check, so the table cannot drift.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../..', import.meta.url));
export const START = '<!-- packages:start -->';
export const END = '<!-- packages:end -->';

/** The published packages under `packagesDir`: `{ name, description, dir }`, core first, then by name. */
export function publishedPackages(packagesDir) {
  return readdirSync(packagesDir)
    .filter((dir) => existsSync(join(packagesDir, dir, 'package.json')))
    .map((dir) => ({ dir, json: JSON.parse(readFileSync(join(packagesDir, dir, 'package.json'), 'utf8')) }))
    .filter(({ json }) => !json.private)
    .map(({ dir, json }) => ({ name: json.name, description: json.description ?? '', dir }))
    .sort((a, b) => (a.dir === 'core' ? -1 : b.dir === 'core' ? 1 : a.name.localeCompare(b.name)));
}

/** Escapes a table cell: a `|` would end it. */
const cell = (text) => text.replace(/\|/g, '\\|');

/** The markdown table of `packages`, links relative to the repository root. */
export function packageTable(packages) {
  const rows = packages.map(({ name, description, dir }) => `| [\`${name}\`](packages/${dir}) | ${cell(description)} |`);
  return ['| package | what it is |', '| --- | --- |', ...rows].join('\n');
}

/** `readme` with the text between the markers replaced by `table`; throws when a marker is missing. */
export function withPackageTable(readme, table) {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error(`README.md needs the markers ${START} and ${END}, in that order`);
  return `${readme.slice(0, start + START.length)}\n${table}\n${readme.slice(end)}`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const readmeFile = join(root, 'README.md');
  const readme = readFileSync(readmeFile, 'utf8');
  const updated = withPackageTable(readme, packageTable(publishedPackages(join(root, 'packages'))));
  if (process.argv.includes('--check')) {
    if (updated !== readme) {
      console.error('README.md: the package table is out of date; run node apps/docs/scripts/generate-package-table.mjs');
      process.exit(1);
    }
    console.log('README.md: the package table is up to date');
  } else if (updated !== readme) {
    writeFileSync(readmeFile, updated);
    console.log('README.md: package table rewritten');
  } else {
    console.log('README.md: package table already up to date');
  }
}
