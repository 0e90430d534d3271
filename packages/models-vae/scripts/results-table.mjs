#!/usr/bin/env node
// Prints the README's results rows from the result.json files that
// measure.mjs wrote: node packages/models-vae/scripts/results-table.mjs runs/vae-2d runs/vae-20d
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

const f = (x) => x.toFixed(2);
console.log('| family | latentDim | epochs | test −ELBO | reconstruction | KL | s / epoch | backend | status |');
console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
for (const dir of process.argv.slice(2)) {
  const r = JSON.parse(await readFile(join(dir, 'result.json'), 'utf8'));
  const last = r.testCurve.at(-1);
  const seconds = r.history.reduce((s, h) => s + h.seconds, 0) / r.history.length;
  const backend = `${r.backend}${r.matmulFix ? ' + matmul fix' : ''}`;
  const elbo = last ? [f(last.total), f(last.reconstruction), f(last.kl)] : ['–', '–', '–'];
  console.log(`| \`${r.family}\` | ${r.config.latentDim} | ${last?.epoch ?? 0} of ${r.epochs} | ${elbo.join(' | ')} | ${seconds.toFixed(0)} | ${backend} | ${r.status} |`);
}
