// Renders examples/plugin-template from the files `ae new-plugin` writes
// (packages/cli/template/plugin), as the private package `@aekit/plugin-template`
// with the `tied` family, so that the repository's example and the
// scaffolder cannot drift. `--check` only reports differences; a cli test
// runs the same comparison. Needs a built @aekit/cli.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderPluginTemplate } from '../packages/cli/dist/index.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const target = join(root, 'examples', 'plugin-template');
/** Build and test output, not part of the template. */
const IGNORED = new Set(['node_modules', 'dist', '.turbo', '.vitest-report.json']);
const version = (pkg) => JSON.parse(readFileSync(join(root, 'packages', pkg, 'package.json'), 'utf8')).version;

const files = renderPluginTemplate({ name: '@aekit/plugin-template', family: 'tied', coreVersion: version('core'), cliVersion: version('cli'), private: true });
const existing = (dir) =>
  readdirSync(dir).flatMap((entry) => {
    if (IGNORED.has(entry)) return [];
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? existing(path) : [relative(target, path).split('\\').join('/')];
  });

const stale = existing(target).filter((path) => !files.has(path));
const changed = [...files].filter(([path, text]) => !existsSync(join(target, path)) || readFileSync(join(target, path), 'utf8') !== text).map(([path]) => path);
if (process.argv.includes('--check')) {
  if (stale.length + changed.length > 0) {
    console.error(`examples/plugin-template differs from the ae new-plugin template (${[...changed, ...stale].join(', ')}); run node scripts/plugin-template.mjs`);
    process.exit(1);
  }
} else {
  for (const path of stale) rmSync(join(target, path));
  for (const path of changed) {
    mkdirSync(dirname(join(target, path)), { recursive: true });
    writeFileSync(join(target, path), files.get(path));
  }
  console.log(`examples/plugin-template: ${changed.length} written, ${stale.length} removed`);
}
