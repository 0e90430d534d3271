#!/usr/bin/env node
// Measures the table results in the root README and this package's README:
// the Palmer penguins (shipped by the vega-datasets npm package) trained
// through `ae train --data`, and a tabular anomaly-detection run scored with
// `ae score`, each against simple baselines on the same split and the same
// standardisation. Writes results/results.json and the README sections
// between the `tables-results` markers.
//
//   pnpm build && pnpm --filter @aekit/data-tables results [--seeds 3] [--epochs 300]
import { mkdir, mkdtemp, readFile, writeFile, copyFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { anomalyMetrics, createRng, range } from '@aekit/core';
import { readModelMetadata } from '@aekit/core/node';
import { readTable } from '../dist/index.js';
import { aeRunner, baselines, meanOf, median, numberOption as option, rowsOf } from './baselines.mjs';
import { withResultsSection } from './readme-section.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const pkg = resolve(here, '..');
const repo = resolve(pkg, '../..');
// vega-datasets (a devDependency) exports only its loader module; its data files ship beside it.
const penguinsFile = join(pkg, 'node_modules', 'vega-datasets', 'data', 'penguins.json');

const SEEDS = option('seeds', 3);
const EPOCHS = option('epochs', 300);
const LATENT = 2;
const TRAIN = ['--latent-dim', String(LATENT), '--epochs', String(EPOCHS), '--batch-size', '32', '--learning-rate', '0.005', '--backend', 'wasm', '--code-points', '400'];

const work = await mkdtemp(join(tmpdir(), 'aekit-tables-results-'));
const shown = (path) => (path.startsWith(work) ? `<tmp>${path.slice(work.length)}` : relative(repo, path));

const { ae, commands } = aeRunner(repo, shown);

// 1. The penguins through `ae train --data`: reconstruction error on the held-out rows.
const penguinRuns = [];
for (let seed = 0; seed < SEEDS; seed++) {
  const run = join(work, `penguins-${seed}`);
  ae('train', 'dense', '--data', penguinsFile, '--label', 'Species', '--skip-bad', '--seed', String(seed), ...TRAIN, '--out', run);
  const metrics = JSON.parse(await readFile(join(run, 'metrics.json'), 'utf8'));
  const { preprocessing } = await readModelMetadata(join(run, 'model'));
  const table = await readTable(penguinsFile, { preprocessing, seed, skipBad: true });
  const base = baselines(rowsOf(table.train.data), rowsOf(table.test.data), LATENT);
  penguinRuns.push({ seed, run, testLoss: metrics.testLoss, meanBaseline: meanOf(base.distance), pcaBaseline: meanOf(base.pca), trainRows: table.train.data.size, testRows: table.test.data.size, features: preprocessing.scaler.mean.length, skipped: table.skipped + table.incomplete, seconds: metrics.seconds });
}
const resultsDir = join(pkg, 'results');
await mkdir(resultsDir, { recursive: true });
await copyFile(join(penguinRuns[0].run, 'codes.png'), join(resultsDir, 'penguins-codes.png'));

// 2. Anomaly detection: Adelie and Gentoo penguins are normal, Chinstrap penguins the anomalies.
// Training sees 70% of the normal rows only; the test file holds the other 30% and every Chinstrap.
const all = JSON.parse(await readFile(penguinsFile, 'utf8'));
const rng = createRng(17);
const normal = all.filter((p) => p.Species !== 'Chinstrap').map((p) => ({ p, key: rng() })).sort((a, b) => a.key - b.key).map((x) => x.p);
const cut = Math.round(normal.length * 0.7);
const columns = Object.keys(all[0]).filter((c) => c !== 'Species');
const csv = (rows) => [[...columns, 'anomaly'].join(','), ...rows.map((p) => [...columns.map((c) => (p[c] === null ? '' : String(p[c]))), p.Species === 'Chinstrap' ? 1 : 0].join(','))].join('\n') + '\n';
const trainFile = join(work, 'penguins-normal-train.csv');
const testFile = join(work, 'penguins-test.csv');
await writeFile(trainFile, csv(normal.slice(0, cut)));
await writeFile(testFile, csv([...normal.slice(cut), ...all.filter((p) => p.Species === 'Chinstrap')]));

const anomalyRuns = [];
let baselineMetrics;
for (let seed = 0; seed < SEEDS; seed++) {
  const run = join(work, `anomaly-${seed}`);
  ae('train', 'dense', '--data', trainFile, '--label', 'anomaly', '--skip-bad', '--seed', String(seed), ...TRAIN, '--out', run);
  ae('score', run, testFile, '--skip-bad');
  const summary = JSON.parse(await readFile(join(run, 'score', 'score-metrics.json'), 'utf8'));
  anomalyRuns.push({ seed, rocAuc: summary.metrics.rocAuc, averagePrecision: summary.metrics.averagePrecision, bestF1: summary.metrics.bestF1.f1, items: summary.items, anomalies: summary.metrics.anomalies });
  if (seed === 0) {
    // Baselines fitted on the rows the model trained on (the same seeded split), with the same scaler.
    const { preprocessing } = await readModelMetadata(join(run, 'model'));
    const fitRows = rowsOf((await readTable(trainFile, { preprocessing, seed, skipBad: true })).train.data);
    const test = await readTable(testFile, { preprocessing, testFraction: 1, skipBad: true });
    const labels = Array.from(test.test.data.labels(range(0, test.test.data.size)), (c) => (test.preprocessing.labelClasses[c] === '1' ? 1 : 0));
    const base = baselines(fitRows, rowsOf(test.test.data), LATENT);
    baselineMetrics = { distance: anomalyMetrics(base.distance, labels), pca: anomalyMetrics(base.pca, labels), fitRows: fitRows.length };
    await copyFile(join(run, 'score', 'score-histogram.png'), join(resultsDir, 'penguins-score-histogram.png'));
  }
}

const results = {
  generatedBy: 'packages/data-tables/scripts/results.mjs',
  measuredAt: new Date().toISOString(),
  data: 'Palmer penguins, vega-datasets 3.2.1 (data/penguins.json): 344 rows, 4 number columns, Island and Sex one-hot, Species as the label',
  settings: { family: 'dense', latentDim: LATENT, epochs: EPOCHS, batchSize: 32, learningRate: 0.005, seeds: SEEDS, backend: 'wasm' },
  penguins: penguinRuns.map(({ run: _run, ...r }) => r),
  anomaly: { normal: 'Adelie and Gentoo', anomalous: 'Chinstrap', runs: anomalyRuns, baselines: baselineMetrics },
  commands: [...new Set(commands.map((c) => c.replace(/--seed \d+/, '--seed <s>').replace(/-\d+( |$)/, '-<s>$1')))],
};
await writeFile(join(resultsDir, 'results.json'), JSON.stringify(results, null, 2) + '\n');

// README sections.
const f4 = (x) => x.toFixed(4);
const p = penguinRuns;
const a = anomalyRuns;
const b = baselineMetrics;
const section = [
  `Measured by \`pnpm --filter @aekit/data-tables results\` (${SEEDS} seeds, medians shown; for the penguins each seed also draws its own held-out rows; figures in [packages/data-tables/results/results.json](packages/data-tables/results/results.json)), \`dense\` with a ${LATENT}-unit code, ${EPOCHS} epochs, on the Palmer penguins that the \`vega-datasets\` npm package ships (no download; ${p[0].features} features: four measurements standardised, Island and Sex one-hot; ${p[0].skipped} rows with empty cells skipped).`,
  '',
  `| penguins, held-out rows (${p[0].testRows}) | mean squared error (standardised) |`,
  '| --- | --- |',
  `| \`ae train dense --data penguins.json --label Species --skip-bad\` | ${f4(median(p.map((r) => r.testLoss)))} |`,
  `| PCA, ${LATENT} components, same split | ${f4(median(p.map((r) => r.pcaBaseline)))} |`,
  `| the training mean | ${f4(median(p.map((r) => r.meanBaseline)))} |`,
  '',
  `| anomalies: Chinstrap among Adelie and Gentoo (${a[0].anomalies} of ${a[0].items} test rows; trained on normal rows only) | ROC AUC | PR AUC | best F1 |`,
  '| --- | --- | --- | --- |',
  `| \`ae score\` of the dense autoencoder | ${f4(median(a.map((r) => r.rocAuc)))} | ${f4(median(a.map((r) => r.averagePrecision)))} | ${f4(median(a.map((r) => r.bestF1)))} |`,
  `| PCA reconstruction error, ${LATENT} components (fitted on the seed-0 training rows) | ${f4(b.pca.rocAuc)} | ${f4(b.pca.averagePrecision)} | ${f4(b.pca.bestF1.f1)} |`,
  `| distance to the training mean | ${f4(b.distance.rocAuc)} | ${f4(b.distance.averagePrecision)} | ${f4(b.distance.bestF1.f1)} |`,
  `| chance | 0.5 | ${f4(a[0].anomalies / a[0].items)} | |`,
  '',
  `![codes of the penguins, one colour per species](${'packages/data-tables/results/penguins-codes.png'}) ![scores of normal and Chinstrap penguins](${'packages/data-tables/results/penguins-score-histogram.png'})`,
  '',
  'Commands (the script writes the two anomaly files: 70% of the Adelie and Gentoo rows to train on, the rest plus every Chinstrap to score):',
  '',
  '<!-- guide-test: skip the two anomaly files are written by this results script (pnpm --filter @aekit/data-tables results), which runs these commands -->',
  '',
  '```bash',
  `pnpm ae train dense --data ${shown(penguinsFile)} --label Species --skip-bad ${TRAIN.join(' ')} --out runs/penguins`,
  `pnpm ae train dense --data penguins-normal-train.csv --label anomaly --skip-bad ${TRAIN.join(' ')} --out runs/penguins-anomaly`,
  'pnpm ae score runs/penguins-anomaly penguins-test.csv --skip-bad',
  '```',
].join('\n');

for (const readme of [join(repo, 'README.md'), join(pkg, 'README.md')]) {
  const next = withResultsSection(await readFile(readme, 'utf8'), section, readme === join(pkg, 'README.md'));
  if (next !== undefined) await writeFile(readme, next);
}
console.log(section);
