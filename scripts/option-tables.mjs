// Writes the option tables of `ae` commands into the Markdown files that
// show them, between `<!-- options:<command>:start -->` and
// `<!-- options:<command>:end -->`, from each command's option declaration
// (built @aekit/cli and the plugins the root package.json depends on).
// `--check` only reports whether every file is up to date; a cli test runs
// the same comparison.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadPlugins, withOptionTables } from '../packages/cli/dist/index.js';

/** The Markdown files with generated option tables, from the repository root. */
export const OPTION_TABLE_FILES = ['README.md', 'apps/docs/guide/getting-started.md', 'apps/docs/guide/onnx.md', 'apps/docs/guide/families/variational.md', 'packages/serve/README.md'];

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
await loadPlugins({ cwd: root });
let stale = 0;
for (const file of OPTION_TABLE_FILES) {
  const path = join(root, file);
  const current = readFileSync(path, 'utf8');
  const next = withOptionTables(current);
  if (next === current) continue;
  if (process.argv.includes('--check')) {
    console.error(`${file}: an option table is out of date; run node scripts/option-tables.mjs`);
    stale++;
  } else {
    writeFileSync(path, next);
    console.log(`${file}: option tables updated`);
  }
}
if (stale > 0) process.exit(1);
