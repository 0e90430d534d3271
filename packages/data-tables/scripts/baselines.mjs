// What the results scripts share: running `ae` from the repository root,
// a dataset's rows as arrays, and the baselines every result stands beside
// (the training mean, and PCA with as many components as the code).
import { execFileSync } from 'node:child_process';
import { isAbsolute, join } from 'node:path';
import { PCA } from 'ml-pca';
import { range } from '@aekit/core';

/**
 * An `ae` runner from the repository root (so the workspace's plugins are
 * found) that records each command, its absolute paths as `shown` gives them.
 *
 * @param repo - The repository root.
 * @param shown - How a path appears in the recorded commands.
 */
export function aeRunner(repo, shown) {
  const commands = [];
  const ae = (...argv) => {
    const text = (a) => (isAbsolute(a) ? shown(a) : a);
    commands.push(`pnpm ae ${argv.map((a) => (/[\s!]/.test(a) ? `'${text(a)}'` : text(a))).join(' ')}`);
    return execFileSync(process.execPath, [join(repo, 'packages/cli/dist/bin/ae.js'), ...argv], { cwd: repo, encoding: 'utf8' });
  };
  return { ae, commands };
}

/** Rows of an ArrayDataset as arrays of numbers. */
export function rowsOf(data) {
  const x = data.batch(range(0, data.size));
  const values = x.dataSync();
  x.dispose();
  const f = data.exampleShape[0];
  return Array.from({ length: data.size }, (_, i) => Array.from(values.subarray(i * f, (i + 1) * f)));
}

/** Baseline scores of test rows from training rows: squared distance to the training mean, and PCA reconstruction error with k components (both per feature). */
export function baselines(trainRows, testRows, k) {
  const f = trainRows[0].length;
  const mean = Array.from({ length: f }, (_, j) => trainRows.reduce((s, r) => s + r[j], 0) / trainRows.length);
  const distance = testRows.map((r) => r.reduce((s, v, j) => s + (v - mean[j]) ** 2, 0) / f);
  const pca = new PCA(trainRows, { center: true, scale: false });
  const u = pca.getEigenvectors().to2DArray().map((row) => row.slice(0, k));
  const pcaError = testRows.map((r) => {
    const centred = r.map((v, j) => v - mean[j]);
    const code = Array.from({ length: k }, (_, c) => centred.reduce((s, v, j) => s + v * u[j][c], 0));
    return centred.reduce((s, v, j) => s + (v - code.reduce((t, z, c) => t + z * u[j][c], 0)) ** 2, 0) / f;
  });
  return { distance, pca: pcaError };
}

export const meanOf = (values) => values.reduce((a, b) => a + b, 0) / values.length;
export const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/**
 * A number given on the command line as `--name value`, or the fallback.
 *
 * @param name - The option's name, without the dashes.
 * @param fallback - Its value when not given.
 */
export function numberOption(name, fallback) {
  const args = process.argv.slice(2);
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
}
