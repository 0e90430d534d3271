#!/usr/bin/env node
// Peak memory of reading a table as it grows 10x: generates CSVs of 100,000
// and 1,000,000 rows (8 number columns and a category), reads each with
// readTable in a fresh process, and records the file size, the size of the
// features kept (rows · features · 4 bytes) and the process's peak RSS.
// Writes results/memory.json and the package README section between the
// `tables-memory` markers.
//
//   pnpm --filter @aekit/data-tables build && node scripts/memory.mjs
import { execFileSync } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The JavaScript heap limit of the second read of each file. */
const HEAP_LIMIT_MIB = 48;
const pkg = resolve(dirname(fileURLToPath(import.meta.url)), '..');

if (process.argv[2] === '--child') {
  // Runs in a fresh process: read the table, report features and peak RSS.
  const { readTable } = await import('../dist/index.js');
  const table = await readTable(process.argv[3], { seed: 0 });
  const features = table.preprocessing.scaler.mean.length;
  const rows = table.train.data.size + table.test.data.size;
  process.stdout.write(JSON.stringify({ rows, features, peakRssMiB: process.resourceUsage().maxRSS / 1024 }));
  process.exit(0);
}

async function writeCsv(file, rows) {
  const out = createWriteStream(file);
  out.write('a,b,c,d,e,f,g,h,kind\n');
  for (let i = 0; i < rows; i++) {
    const line = `${(i % 97) * 1.5},${(i * 7) % 1013},${Math.sin(i).toFixed(6)},${(i % 13) - 6},${((i * 31) % 1000) / 10},${i % 2},${Math.cos(i / 7).toFixed(6)},${(i * 17) % 89},${['x', 'y', 'z'][i % 3]}\n`;
    if (!out.write(line)) await new Promise((r) => out.once('drain', r));
  }
  await new Promise((r) => out.end(r));
}

const work = await mkdtemp(join(tmpdir(), 'aekit-tables-memory-'));
const results = [];
try {
  for (const rows of [100_000, 1_000_000]) {
    const file = join(work, `rows-${rows}.csv`);
    await writeCsv(file, rows);
    const fileMiB = (await stat(file)).size / 2 ** 20;
    const read = (flags) => JSON.parse(execFileSync(process.execPath, [...flags, fileURLToPath(import.meta.url), '--child', file], { encoding: 'utf8', maxBuffer: 1 << 20 }));
    const child = read([]);
    // The features live in ArrayBuffers, outside the JavaScript heap: if the text were kept, a small heap limit would run out.
    let smallHeap = true;
    try {
      read([`--max-old-space-size=${HEAP_LIMIT_MIB}`]);
    } catch {
      smallHeap = false;
    }
    results.push({ ...child, fileMiB, featuresMiB: (child.rows * child.features * 4) / 2 ** 20, [`readsWithHeapLimit${HEAP_LIMIT_MIB}MiB`]: smallHeap });
    await rm(file);
  }
} finally {
  await rm(work, { recursive: true, force: true });
}
await writeFile(join(pkg, 'results', 'memory.json'), JSON.stringify({ generatedBy: 'packages/data-tables/scripts/memory.mjs', measuredAt: new Date().toISOString(), results }, null, 2) + '\n');

const table = [
  'Peak memory of `readTable` on generated CSVs (8 number columns and a 3-valued category, so 11 features), each read in a fresh Node process (`pnpm --filter @aekit/data-tables memory`; [results/memory.json](results/memory.json)):',
  '',
  `| rows | file | features kept (float32) | peak RSS of the process | reads with a ${HEAP_LIMIT_MIB} MiB JavaScript heap |`,
  '| --- | --- | --- | --- | --- |',
  ...results.map((r) => `| ${r.rows.toLocaleString('en')} | ${r.fileMiB.toFixed(1)} MiB | ${r.featuresMiB.toFixed(1)} MiB | ${r.peakRssMiB.toFixed(0)} MiB | ${r[`readsWithHeapLimit${HEAP_LIMIT_MIB}MiB`] ? 'yes' : 'no'} |`),
  '',
  `Ten times the rows add ${(results[1].peakRssMiB - results[0].peakRssMiB).toFixed(0)} MiB of peak memory, for ${(results[1].featuresMiB - results[0].featuresMiB).toFixed(0)} MiB more features and ${(results[1].fileMiB - results[0].fileMiB).toFixed(0)} MiB more text: the features are kept, in arrays sized by the first pass (outside the JavaScript heap); the text streams through in chunks, which the reads under a ${HEAP_LIMIT_MIB} MiB heap limit show (holding the million parsed rows would take nine million strings, far more than that). Measured on a shared, busy machine; peak RSS also holds tfjs, Node and the garbage collector's slack.`,
].join('\n');
const readme = join(pkg, 'README.md');
const text = await readFile(readme, 'utf8');
const start = '<!-- tables-memory:start -->';
const end = '<!-- tables-memory:end -->';
if (text.includes(start)) await writeFile(readme, text.slice(0, text.indexOf(start) + start.length) + '\n' + table + '\n' + text.slice(text.indexOf(end)));
console.log(table);
