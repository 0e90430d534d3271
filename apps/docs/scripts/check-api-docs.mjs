// Checks the generated API reference (api/, written by TypeDoc) for
// parameters without a description: every row of every "Parameters" table
// must have a non-empty Description cell. TypeDoc leaves the column out
// when no parameter of a signature has one, so a table without it fails
// too. It also checks that every function and class page of core, cli and
// export-onnx shows an example (scripts/check-examples.mjs compiles them).
// `node scripts/check-api-docs.mjs` lists what is missing and exits
// non-zero; test/generated.test.ts runs the same checks.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Markdown files under a directory, recursively. */
function markdownFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return markdownFiles(path);
    return name.endsWith('.md') ? [path] : [];
  });
}

/** Splits a markdown table row into its trimmed cells. */
function cells(row) {
  return row
    .trim()
    .replace(/^\||\|$/g, '')
    .split(/(?<!\\)\|/)
    .map((cell) => cell.trim());
}

/**
 * Parameters without a description in one page of the reference, as
 * `Symbol(): parameter` (the symbol is the nearest heading above the table).
 */
export function undescribedParameters(markdown) {
  const lines = markdown.split('\n');
  const missing = [];
  let symbol = '';
  for (let i = 0; i < lines.length; i++) {
    const heading = /^#{1,6} (.+)$/.exec(lines[i]);
    if (!heading) continue;
    if (!/^Parameters$/.test(heading[1])) {
      symbol = heading[1].replace(/^(Function|Interface|Class|Type Alias): /, '');
      continue;
    }
    let row = i + 1;
    while (row < lines.length && lines[row].trim() === '') row++;
    const header = cells(lines[row] ?? '');
    const description = header.indexOf('Description');
    for (row += 2; row < lines.length && lines[row].startsWith('|'); row++) {
      const rowCells = cells(lines[row]);
      const text = description < 0 ? '' : rowCells[description];
      if (!text || text === '-') missing.push(`${symbol}: ${rowCells[0].replace(/`/g, '')}`);
    }
  }
  return missing;
}

/** Every parameter without a description in the reference under `apiDir`, as `page: Symbol(): parameter`. */
export function undescribedParametersIn(apiDir) {
  return markdownFiles(apiDir).flatMap((file) =>
    undescribedParameters(readFileSync(file, 'utf8')).map((entry) => `${relative(apiDir, file)}: ${entry}`),
  );
}

/** The packages whose every function and class must show an example: the ones most users call. */
export const EXAMPLE_REQUIRED = ['core', 'cli', 'export-onnx'];

/**
 * Function and class pages of the reference under `apiDir` that have no
 * `Example` section, for the packages of {@link EXAMPLE_REQUIRED}, as
 * paths relative to `apiDir`. The examples themselves are compiled by
 * scripts/check-examples.mjs.
 */
export function pagesWithoutExampleIn(apiDir, packages = EXAMPLE_REQUIRED) {
  return packages.flatMap((name) => {
    const dir = join(apiDir, '@aekit', name);
    return markdownFiles(dir)
      .filter((file) => /[\\/](functions|classes)[\\/][^\\/]+\.md$/.test(file))
      .filter((file) => !/^#{2,4} Examples?$/m.test(readFileSync(file, 'utf8')))
      .map((file) => relative(apiDir, file));
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const apiDir = fileURLToPath(new URL('../api', import.meta.url));
  const missing = undescribedParametersIn(apiDir);
  for (const entry of missing) console.log(entry);
  if (missing.length > 0) {
    console.error(`check-api-docs: ${missing.length} parameters have no description (add @param to their TSDoc)`);
    process.exit(1);
  }
  console.log('check-api-docs: every parameter in the API reference has a description');
  const bare = pagesWithoutExampleIn(apiDir);
  for (const page of bare) console.log(`no example: ${page}`);
  if (bare.length > 0) {
    console.error(`check-api-docs: ${bare.length} function and class pages of ${EXAMPLE_REQUIRED.join(', ')} have no example (add an @example to their TSDoc)`);
    process.exit(1);
  }
}
