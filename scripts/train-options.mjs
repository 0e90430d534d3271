// Writes the `ae train` option table into the root README, between the
// train-options markers, from the command's own option definitions (built
// @aekit/cli). `--check` only reports whether the README is up to date; a
// cli test runs the same comparison.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { withOptionTable } from '../packages/cli/dist/index.js';

const readme = join(dirname(fileURLToPath(import.meta.url)), '..', 'README.md');
const current = readFileSync(readme, 'utf8');
const next = withOptionTable(current);
if (process.argv.includes('--check')) {
  if (next !== current) {
    console.error('README.md: the ae train option table is out of date; run node scripts/train-options.mjs');
    process.exit(1);
  }
} else if (next !== current) {
  writeFileSync(readme, next);
  console.log('README.md: ae train option table updated');
}
