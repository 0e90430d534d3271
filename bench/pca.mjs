#!/usr/bin/env node
// How core's fitPca (streamed randomized subspace iteration, ml-matrix for
// the small factorisations) compares with ml-pca (an exact decomposition of
// the whole data matrix in memory) on MNIST digits, for the baseline every
// `ae train` run fits: time, and the reconstruction error of the kept
// components on held-out digits. Writes bench/results-pca.md.
//
//   nice node bench/pca.mjs [--train 10000] [--components 32]
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { PCA } from 'ml-pca';
import { fitPca, range, tf, useBackend } from '@aekit/core';
import { loadMnist } from '@aekit/data-mnist';

const here = dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({ options: { train: { type: 'string', default: '10000' }, components: { type: 'string', default: '32' } } });
const n = Number(values.train);
const k = Number(values.components);
await useBackend('wasm');
const { train, test } = await loadMnist({ trainLimit: n, testLimit: 2000 });
const flat = (data) => data.reshape([784]);
const rowsOf = (data) => {
  const x = flat(data).batch(range(0, data.size));
  const v = x.dataSync();
  x.dispose();
  return Array.from({ length: data.size }, (_, i) => Array.from(v.subarray(i * 784, (i + 1) * 784)));
};
const testRows = rowsOf(test);
const errorOf = (reconstruct) => {
  const rec = reconstruct(testRows);
  let sum = 0;
  for (let i = 0; i < testRows.length; i++) for (let j = 0; j < 784; j++) sum += (testRows[i][j] - rec[i][j]) ** 2;
  return sum / (testRows.length * 784);
};

let started = performance.now();
const ours = await fitPca(flat(train), { components: k });
const oursSeconds = (performance.now() - started) / 1000;
const oursError = errorOf((rows) => tf.tidy(() => ours.reconstruct(tf.tensor2d(rows)).arraySync()));

started = performance.now();
const exact = new PCA(rowsOf(train), { center: true, scale: false, method: 'covarianceMatrix' });
const exactSeconds = (performance.now() - started) / 1000;
const exactError = errorOf((rows) => exact.invert(exact.predict(rows, { nComponents: k })).to2DArray());

const heapMb = Math.round(process.memoryUsage().rss / 2 ** 20);
const lines = [
  '# PCA for the baselines: core\'s fitPca against ml-pca',
  '',
  `Written by \`nice node bench/pca.mjs --train ${n} --components ${k}\` on ${new Date().toISOString().slice(0, 10)} (a 2-core machine shared with other work: times are rough, their ratio less so). ${k} components of ${n} MNIST training digits (784 values), error on 2,000 test digits (mean squared error per pixel of the projection back).`,
  '',
  '| method | seconds | test error | memory for the data |',
  '| --- | ---: | ---: | --- |',
  `| \`fitPca\` (core): 6 streamed passes of 512 digits, randomized subspace iteration (k + 10 directions, 4 iterations), QR and eigendecomposition of small matrices by ml-matrix | ${oursSeconds.toFixed(1)} | ${oursError.toFixed(6)} | one batch and a 784 x ${k + 10} basis |`,
  `| \`ml-pca\` 4.1.1, covariance matrix and its exact eigendecomposition | ${exactSeconds.toFixed(1)} | ${exactError.toFixed(6)} | every digit as float64 arrays (${Math.round((n * 784 * 8) / 2 ** 20)} MB) |`,
  '',
  `Process peak RSS after both: ${heapMb} MB.`,
  '',
];
writeFileSync(join(here, 'results-pca.md'), lines.join('\n'));
console.log(lines.join('\n'));
