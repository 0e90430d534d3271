// The README's GEMM table from the raw output in bench/results-gemm-libraries.md
// (written by gemm-libraries.sh): the median over rounds of each library's
// GFLOP per second of CPU time, a row per product.
//   node packages/kernels-native/bench/gemm-table.mjs
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const LIBRARIES = [
  ['eigen', 'Eigen 3.4 (AVX2 + FMA)'],
  ['aekit-packed', "aekit's packed kernel (AVX2 + FMA)"],
  ['openblas-static', 'OpenBLAS 0.3.21, static'],
  ['onednn', 'oneDNN 2.6 (`dnnl_sgemm`)'],
];
const file = join(dirname(fileURLToPath(import.meta.url)), 'results-gemm-libraries.md');
const runs = new Map();
for (const line of readFileSync(file, 'utf8').split('\n')) {
  const fields = line.split('\t');
  if (fields.length !== 6 || !fields[0].startsWith('round')) continue;
  const [, library, product, , , cpuRate] = fields;
  const key = product.replace(/\s+/g, ' ').trim();
  if (!runs.has(key)) runs.set(key, new Map());
  const byLibrary = runs.get(key);
  byLibrary.set(library, [...(byLibrary.get(library) ?? []), Number(cpuRate)]);
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const present = LIBRARIES.filter(([id]) => [...runs.values()].some((m) => m.has(id)));
console.log(`| product | ${present.map(([, name]) => name).join(' | ')} |`);
console.log(`| --- |${present.map(() => ' ---: |').join('')}`);
for (const [product, byLibrary] of runs) {
  console.log(`| ${product} | ${present.map(([id]) => (byLibrary.has(id) ? median(byLibrary.get(id)).toFixed(1) : '')).join(' | ')} |`);
}
