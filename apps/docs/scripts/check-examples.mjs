// Compiles the TypeScript the documentation shows, so that no page shows code
// that would not build: the ```ts blocks after an `@example` tag in the TSDoc
// of the packages below (the API reference), and every ```ts block of the
// guides (apps/docs/guide/**) and of the READMEs (the root's and each
// package's). Each is written to .examples/ (git-ignored) as a module of its
// own and type-checked with tsc against the built packages, as a user's file
// would be: a block names its imports, and declares what the reader already
// has (`declare const autoencoder: Autoencoder;`).
//
// A block of a page that is deliberately a fragment (a line to add to a file
// shown elsewhere) carries a marker directly above it, with the reason, and is
// listed as such instead of compiled:
//
//   <!-- ts-check: fragment <why it does not compile on its own> -->
//
//   node scripts/check-examples.mjs        # lists the blocks and any errors, exits 1 on errors
//
// test/generated.test.ts runs the same check.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const docs = fileURLToPath(new URL('..', import.meta.url));
const repo = join(docs, '..', '..');

/** The packages whose examples are checked: the ones most users call. */
export const EXAMPLE_PACKAGES = ['core', 'cli', 'export-onnx'];

/** TypeScript files under a directory, recursively. */
function sourceFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') && !name.endsWith('.d.ts') ? [path] : [];
  });
}

/**
 * The ```ts blocks that follow an `@example` tag in a file's comments.
 *
 * @param {string} text  the file's content
 * @returns {{ line: number, code: string }[]} each block's first line (1-based) and code
 */
export function examplesIn(text) {
  const lines = text.split('\n');
  const found = [];
  for (let i = 0; i < lines.length; i++) {
    if (!/^\s*\*\s*@example\b/.test(lines[i])) continue;
    let open = i + 1;
    while (open < lines.length && /^\s*\*\s*$/.test(lines[open])) open++;
    if (!/^\s*\*\s*```(ts|typescript)\s*$/.test(lines[open] ?? '')) continue;
    const body = [];
    let close = open + 1;
    for (; close < lines.length && !/^\s*\*\s*```\s*$/.test(lines[close]); close++) body.push(lines[close].replace(/^\s*\* ?/, ''));
    found.push({ line: open + 2, code: body.join('\n') });
    i = close;
  }
  return found;
}

/** Every example of the packages, with the file and line it comes from. */
export function allExamples() {
  return EXAMPLE_PACKAGES.flatMap((name) =>
    sourceFiles(join(repo, 'packages', name, 'src')).flatMap((file) =>
      examplesIn(readFileSync(file, 'utf8')).map((example) => ({ ...example, file: relative(repo, file) })),
    ),
  );
}

/** The pages whose ```ts blocks are compiled: the guides (not the fragments they include), the root README, the packages' READMEs. */
export function markdownPages() {
  const guide = (function walk(dir) {
    return readdirSync(dir)
      .sort()
      .flatMap((name) => {
        const path = join(dir, name);
        if (name.startsWith('_')) return []; // guide/_generated: made from the READMEs, which are read themselves
        if (statSync(path).isDirectory()) return walk(path);
        return name.endsWith('.md') ? [path] : [];
      });
  })(join(docs, 'guide'));
  const packages = join(repo, 'packages');
  const readmes = readdirSync(packages)
    .sort()
    .map((name) => join(packages, name, 'README.md'))
    .filter((file) => existsSync(file));
  return [...guide, join(repo, 'README.md'), ...readmes];
}

const FENCE = /^(\s*)(`{3,})\s*(\S*)/;
const MARKER = /<!--\s*ts-check:\s*([\s\S]*?)-->/g;

/**
 * The ```ts blocks of a Markdown page, each with its first code line (1-based)
 * and, for a block marked `<!-- ts-check: fragment <why> -->`, the reason.
 * A marker that stands above no ```ts block, or has no reason, is an error.
 *
 * @param {string} text  the page's content
 * @param {string} [file]  the page, for errors
 * @returns {{ line: number, code: string, fragment?: string }[]}
 */
export function typescriptBlocksIn(text, file = 'page') {
  const lines = text.split('\n');
  const markers = new Map();
  for (const match of text.matchAll(MARKER)) {
    const line = text.slice(0, match.index).split('\n').length;
    const end = line + match[0].split('\n').length - 1;
    const [directive, ...why] = match[1].trim().split(/\s+/);
    if (directive !== 'fragment' || why.length === 0) throw new Error(`${file}:${line}: ts-check markers read '<!-- ts-check: fragment <why> -->'`);
    markers.set(end, { line, reason: why.join(' ') });
  }
  const found = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i]);
    if (!open) continue;
    const [, indent, fence, info] = open;
    let close = i + 1;
    while (close < lines.length && !new RegExp(`^\\s*\`{${fence.length},}\\s*$`).test(lines[close])) close++;
    if (/^(ts|typescript)\b/i.test(info)) {
      const code = lines.slice(i + 1, close).map((line) => (line.startsWith(indent) ? line.slice(indent.length) : line.trimStart()));
      // The marker stands directly above the fence: only blank lines and other comments between.
      let above = i;
      while (above > 0 && !markers.has(above) && /^\s*(<!--.*-->)?\s*$/.test(lines[above - 1])) above--;
      const marker = markers.get(above);
      if (marker) markers.delete(above);
      found.push({ line: i + 2, code: code.join('\n'), ...(marker ? { fragment: marker.reason } : {}) });
    }
    i = close;
  }
  for (const { line } of markers.values()) throw new Error(`${file}:${line}: a ts-check marker must stand directly above the \`\`\`ts block it marks`);
  return found;
}

/** Every ```ts block of the guides and READMEs, with the page (relative to the repository) and line it comes from. */
export function allPageBlocks() {
  return markdownPages().flatMap((path) => {
    const file = relative(repo, path);
    return typescriptBlocksIn(readFileSync(path, 'utf8'), file).map((block) => ({ ...block, file }));
  });
}

/**
 * Type-checks every example (or ```ts block of a page) in one run of tsc;
 * returns the errors, each as `<file>:<line>: <tsc message>` at the line of
 * the file the example comes from (a TSDoc comment or a Markdown page).
 * Blocks marked as fragments are left out.
 */
export function exampleErrors(examples = allExamples()) {
  const dir = join(docs, '.examples');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const origin = new Map();
  examples.filter((example) => example.fragment === undefined).forEach((example, i) => {
    const name = `example-${String(i).padStart(3, '0')}.ts`;
    // A trailing export makes a block without imports a module too (top-level await).
    writeFileSync(join(dir, name), `${example.code}\nexport {};\n`);
    origin.set(name, example);
  });
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      extends: '../../../tsconfig.base.json',
      compilerOptions: { noEmit: true, types: ['node'], declaration: false, sourceMap: false, inlineSources: false, target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext' },
      include: ['*.ts'],
    }),
  );
  // A package.json of type module, so top-level await and ESM imports are allowed (NodeNext).
  writeFileSync(join(dir, 'package.json'), '{ "type": "module", "private": true }\n');
  const tsc = createRequire(join(repo, 'package.json')).resolve('typescript/bin/tsc');
  let output = '';
  try {
    execFileSync(process.execPath, [tsc, '-p', join(dir, 'tsconfig.json')], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    output = String(error.stdout ?? '') + String(error.stderr ?? '');
  }
  rmSync(dir, { recursive: true, force: true });
  return output
    .split('\n')
    .filter((line) => /error TS/.test(line))
    .map((line) => {
      const match = /^(example-\d+\.ts)\((\d+),\d+\): (.*)$/.exec(line.trim());
      const example = match && origin.get(match[1]);
      return example ? `${example.file}:${example.line + Number(match[2]) - 1}: ${match[3]}` : line.trim();
    });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const examples = allExamples();
  const blocks = allPageBlocks();
  for (const example of examples) console.log(`example ${example.file}:${example.line}`);
  for (const block of blocks) console.log(`${block.fragment === undefined ? 'block' : `fragment (${block.fragment})`} ${block.file}:${block.line}`);
  const errors = exampleErrors([...examples, ...blocks]);
  for (const error of errors) console.error(error);
  const fragments = blocks.filter((b) => b.fragment !== undefined).length;
  console.log(
    `${examples.length} examples of ${EXAMPLE_PACKAGES.map((p) => `@aekit/${p}`).join(', ')} and ${blocks.length - fragments} ts blocks of the guides and READMEs compiled, ${fragments} fragments left out; ${errors.length} errors`,
  );
  if (errors.length > 0) process.exit(1);
}
