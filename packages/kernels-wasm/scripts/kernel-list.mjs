// Writes the list of kernels aekit registers, generated from the kernel
// table (src/kernels/index.ts), between <!-- kernels:start --> and
// <!-- kernels:end --> in the root README, this package's README and the docs'
// backends guide, so that the three cannot drift from the code:
//   node scripts/kernel-list.mjs          rewrites the lists (needs a built dist)
//   node scripts/kernel-list.mjs --check  fails when one is stale
// A test runs the check against the TypeScript table.
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const repo = new URL('../../../', import.meta.url);

/** The files that carry the list, from the repository root. */
export const KERNEL_LIST_FILES = ['README.md', 'packages/kernels-wasm/README.md', 'apps/docs/guide/backends.md'];

const START = '<!-- kernels:start -->';
const END = '<!-- kernels:end -->';

/** The backends an entry of the table registers on, in order. */
function backendsOf(kernel) {
  return [...new Set([...(kernel.adds ?? []).map((k) => k.backendName), ...(kernel.wraps ?? []).map((w) => w.backend)])];
}

/** The markdown table for `kernels` (the KERNELS table). */
export function renderKernelList(kernels) {
  const rows = kernels.map((k) => {
    const kind = k.name.startsWith('Aekit') ? "aekit's own" : k.adds?.length ? 'added' : 'wrapped';
    return `| \`${k.name}\` | ${kind} | ${backendsOf(k).join(', ')} | ${k.summary} |`;
  });
  return [
    '<!-- Generated from packages/kernels-wasm/src/kernels/index.ts by `node packages/kernels-wasm/scripts/kernel-list.mjs`; do not edit. -->',
    '',
    '| kernel | kind | backends | what aekit runs |',
    '| --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}

/** `text` with the section between the markers replaced by `list`; throws when the markers are missing. */
export function withKernelList(text, list, file = 'file') {
  const start = text.indexOf(START);
  const end = text.indexOf(END);
  if (start < 0 || end < start) throw new Error(`${file} has no ${START} ... ${END} section`);
  return `${text.slice(0, start + START.length)}\n${list}\n${text.slice(end)}`;
}

/** The files whose list differs from `kernels`', after rewriting them unless `check`. */
export async function updateKernelLists(kernels, { check = false } = {}) {
  const list = renderKernelList(kernels);
  const stale = [];
  for (const file of KERNEL_LIST_FILES) {
    const url = new URL(file, repo);
    const text = await readFile(url, 'utf8');
    const next = withKernelList(text, list, file);
    if (next === text) continue;
    stale.push(file);
    if (!check) await writeFile(url, next);
  }
  return stale;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { KERNELS } = await import('../dist/kernels/index.js');
  const check = process.argv.includes('--check');
  const stale = await updateKernelLists(KERNELS, { check });
  if (check && stale.length > 0) {
    console.error(`stale kernel lists in ${stale.join(', ')}; run node packages/kernels-wasm/scripts/kernel-list.mjs`);
    process.exit(1);
  }
  for (const file of check ? [] : stale) console.log(`wrote ${file}`);
}
