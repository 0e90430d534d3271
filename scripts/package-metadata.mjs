// Keeps every public package ready for the registry: the same LICENSE as
// the repository, the repository/homepage/bugs/engines fields, LICENSE in
// `files`, and README links that work outside the repository (a registry page
// has no ../../README.md). `node scripts/package-metadata.mjs` applies it;
// `--check` only reports what differs and exits non-zero. The link rewriting
// lives in readme-links.mjs, which results scripts use too.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { absoluteLinks, BRANCH, REPOSITORY } from './readme-links.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const check = process.argv.includes('--check');

/** Directories of the workspace's public packages (private ones are never published). */
export function publicPackageDirs() {
  const dirs = [];
  for (const group of ['packages', 'apps', 'examples']) {
    const base = join(root, group);
    if (!existsSync(base)) continue;
    for (const name of readdirSync(base)) {
      const manifest = join(base, name, 'package.json');
      if (!existsSync(manifest)) continue;
      if (!JSON.parse(readFileSync(manifest, 'utf8')).private) dirs.push(join(base, name));
    }
  }
  return dirs.sort();
}

function withMetadata(manifest, packageDir) {
  const directory = relative(root, packageDir).split('\\').join('/');
  const rootManifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const files = manifest.files ?? ['dist', 'README.md'];
  const ordered = {};
  for (const [key, value] of Object.entries(manifest)) {
    ordered[key] = value;
    if (key === 'license') {
      ordered.repository = { type: 'git', url: `git+${REPOSITORY}.git`, directory };
      ordered.homepage = `${REPOSITORY}/tree/${BRANCH}/${directory}#readme`;
      ordered.bugs = { url: `${REPOSITORY}/issues` };
      ordered.engines = rootManifest.engines;
    }
  }
  ordered.files = files.includes('LICENSE') ? files : [...files, 'LICENSE'];
  return ordered;
}

let differences = 0;
function update(file, next) {
  const current = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
  if (current === next) return;
  differences++;
  if (check) console.error(`${relative(root, file)} is out of date`);
  else writeFileSync(file, next);
}

for (const dir of publicPackageDirs()) {
  const manifestFile = join(dir, 'package.json');
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
  if (!manifest.license) throw new Error(`${manifestFile}: no license field`);
  update(manifestFile, JSON.stringify(withMetadata(manifest, dir), null, 2) + '\n');
  update(join(dir, 'LICENSE'), readFileSync(join(root, 'LICENSE'), 'utf8'));
  const readme = join(dir, 'README.md');
  if (existsSync(readme)) update(readme, absoluteLinks(readFileSync(readme, 'utf8'), dir));
}
if (check && differences > 0) {
  console.error(`${differences} file(s) differ: run node scripts/package-metadata.mjs`);
  process.exit(1);
}
if (!check) console.log(`package metadata: ${differences} file(s) updated`);
