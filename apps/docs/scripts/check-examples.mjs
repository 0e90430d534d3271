// Compiles the `@example` blocks of the packages' TSDoc comments, so that an
// example in the API reference never shows code that would not build: each
// ```ts block after an `@example` tag in src/ of the packages below is
// written to .examples/ (git-ignored) as a module of its own and type-checked
// with tsc against the built packages, as a user's file would be. An example
// names its imports, as a user would write it.
//
//   node scripts/check-examples.mjs        # lists the examples and any errors, exits 1 on errors
//
// test/generated.test.ts runs the same check.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
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

/**
 * Type-checks every example; returns the errors, each as
 * `packages/<pkg>/src/<file>:<line>: <tsc message>` at the example's line.
 */
export function exampleErrors(examples = allExamples()) {
  const dir = join(docs, '.examples');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const origin = new Map();
  examples.forEach((example, i) => {
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
  for (const example of examples) console.log(`example ${example.file}:${example.line}`);
  const errors = exampleErrors(examples);
  for (const error of errors) console.error(error);
  console.log(`${examples.length} examples of ${EXAMPLE_PACKAGES.map((p) => `@aekit/${p}`).join(', ')}; ${errors.length} errors`);
  if (errors.length > 0) process.exit(1);
}
