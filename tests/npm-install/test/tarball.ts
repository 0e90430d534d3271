import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/** Every file under `dir`, relative to it, with forward slashes. */
export function filesUnder(dir: string, base = dir): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? filesUnder(path, base) : [relative(base, path).split('\\').join('/')];
  });
}

/**
 * What is wrong with an unpacked package tarball as a published package:
 * missing LICENSE, README, built code or types; unresolved workspace
 * ranges or missing metadata in package.json; source maps whose sources are
 * neither embedded nor shipped; README links that only work inside the
 * repository; an install line that brings onnxruntime-node without
 * ONNXRUNTIME_NODE_INSTALL=skip. Empty when it is fine.
 *
 * @param dir - The unpacked `package/` directory.
 * @param license - The repository's LICENSE text, which every package ships.
 */
export function tarballProblems(dir: string, license: string): string[] {
  const problems: string[] = [];
  const files = filesUnder(dir);
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const has = (file: string) => files.includes(file);
  if (!has('LICENSE')) problems.push('no LICENSE');
  else if (readFileSync(join(dir, 'LICENSE'), 'utf8') !== license) problems.push('LICENSE differs from the repository LICENSE');
  if (!has('README.md')) problems.push('no README.md');
  if (!files.some((f) => f.startsWith('dist/') && f.endsWith('.js'))) problems.push('no dist/*.js');
  const typeEntries = [manifest.types, ...Object.values(manifest.exports ?? {}).map((e) => (e as { types?: string })?.types)].filter(Boolean) as string[];
  if (typeEntries.length === 0) problems.push('no types entry');
  for (const entry of typeEntries) if (!has(entry.replace(/^\.\//, ''))) problems.push(`types entry ${entry} is not in the tarball`);
  for (const bin of Object.values<string>(typeof manifest.bin === 'string' ? { bin: manifest.bin } : (manifest.bin ?? {}))) {
    if (!has(bin.replace(/^\.\//, ''))) problems.push(`bin ${bin} is not in the tarball`);
  }
  const text = JSON.stringify(manifest);
  if (text.includes('workspace:')) problems.push('package.json still has workspace: ranges');
  if (manifest.license !== 'MIT') problems.push('license is not MIT');
  if (!manifest.repository?.url || !manifest.repository?.directory) problems.push('no repository with directory');
  for (const field of ['homepage', 'bugs', 'engines']) if (!manifest[field]) problems.push(`no ${field}`);
  for (const map of files.filter((f) => f.endsWith('.map'))) {
    const parsed = JSON.parse(readFileSync(join(dir, map), 'utf8')) as { sources: string[]; sourcesContent?: (string | null)[] };
    parsed.sources.forEach((source, i) => {
      const embedded = typeof parsed.sourcesContent?.[i] === 'string';
      const shipped = existsSync(resolve(dirname(join(dir, map)), source));
      if (!embedded && !shipped) problems.push(`${map} points at ${source}, which is neither embedded nor shipped`);
    });
  }
  const readme = has('README.md') ? readFileSync(join(dir, 'README.md'), 'utf8') : '';
  // Every README says how to install the package; where onnxruntime-node comes in, with the variable that keeps
  // its install script from downloading GPU binaries (the registry alone must do).
  const allInstalls = [...readme.matchAll(/^(?:[A-Z_]+=\S+ )*npm install [^\n`]*$/gm)].map((m) => m[0]);
  const installs = allInstalls.filter((line) => line.includes(manifest.name));
  if (installs.length === 0) problems.push('README gives no npm install command for the package');
  const runtime = 'onnxruntime-node' in (manifest.dependencies ?? {});
  if (runtime && !installs.some((line) => line.startsWith('ONNXRUNTIME_NODE_INSTALL=skip '))) problems.push('README installs onnxruntime-node without ONNXRUNTIME_NODE_INSTALL=skip');
  for (const line of allInstalls.filter((l) => /\b(onnxruntime-node|@aekit\/serve)\b/.test(l) && !l.startsWith('ONNXRUNTIME_NODE_INSTALL=skip '))) {
    problems.push(`README install "${line.trim()}" brings onnxruntime-node without ONNXRUNTIME_NODE_INSTALL=skip`);
  }
  for (const [, target] of readme.matchAll(/\]\(([^)\s]+)\)/g)) {
    if (!/^([a-z]+:|#)/i.test(target)) problems.push(`README link ${target} is relative`);
  }
  return problems.map((p) => `${manifest.name}: ${p}`);
}
