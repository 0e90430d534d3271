#!/usr/bin/env node
// Measures the "public tables" results of the root README and this
// package's README: public tables that the vega-datasets npm package ships
// and that no test of this repository reads, each trained through
// `ae train --data` as the file is (no hand editing; only flags), with the
// test loss beside the training mean's and PCA's on the same split and
// standardisation, and, where the table has a natural anomaly, `ae score`'s
// ROC AUC beside the distance to the training mean and PCA. Writes
// results/public-tables.json and the README sections between the
// `public-tables` markers.
//
//   pnpm build && pnpm --filter @aekit/data-tables public-tables [--seeds 3] [--epochs 200]
//   node scripts/public-tables.mjs --render    (the README sections again from results/public-tables.json, without training)
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { anomalyMetrics, range } from '@aekit/core';
import { readModelMetadata } from '@aekit/core/node';
import { readTable } from '../dist/index.js';
import { aeRunner, baselines, meanOf, median, numberOption as option, rowsOf } from './baselines.mjs';
import { withResultsSection } from './readme-section.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const pkg = resolve(here, '..');
const repo = resolve(pkg, '../..');
const data = join(pkg, 'node_modules', 'vega-datasets', 'data');

const RENDER = process.argv.includes('--render');
const saved = RENDER ? JSON.parse(await readFile(join(pkg, 'results', 'public-tables.json'), 'utf8')) : undefined;
const SEEDS = saved?.settings.seeds ?? option('seeds', 3);
const EPOCHS = saved?.settings.epochs ?? option('epochs', 200);
const COMMON = ['--epochs', String(EPOCHS), '--batch-size', '32', '--learning-rate', '0.005', '--backend', 'wasm', '--code-points', '400'];

/**
 * The tables. `flags` are all a user adds to read the file as it is;
 * `anomaly` names a natural anomaly of the label (trained without it,
 * scored on held-out rows of every label).
 */
const TABLES = [
  {
    name: 'cars',
    file: join(data, 'cars.json'),
    about: '406 cars of 1970–1982: seven measurements, `Year` as ISO dates, `Origin`; `Miles_per_Gallon` and `Horsepower` have 14 empty cells; `Name` (the model of each car, most seen once) is left out by flag',
    flags: ['--drop', 'Name', '--label', 'Origin', '--impute', 'median'],
    latent: 2,
  },
  {
    name: 'seattle-weather',
    file: join(data, 'seattle-weather.csv'),
    about: '1,461 days of 2012–2015: precipitation, highest and lowest temperature, wind, the date, and the day\'s `weather` (sun, rain, drizzle, fog, snow)',
    flags: ['--label', 'weather'],
    latent: 3,
    anomaly: { column: 'weather', value: 'snow', testSplit: 0.5 },
  },
];

const work = await mkdtemp(join(tmpdir(), 'aekit-public-tables-'));
const shown = (path) => (path.startsWith(work) ? `<tmp>${path.slice(work.length)}` : relative(repo, path));
const { ae, commands } = aeRunner(repo, shown);
if (saved) commands.push(...saved.commands);
/** The lines `ae train` prints about the data: what was read, left out, parsed and filled. */
const dataLines = (output) => output.split('\n').filter((l) => /^(read |left out |empty cells |skipped |trained on )/.test(l)).map((l) => l.replaceAll(repo + '/', ''));

const results = saved?.tables ?? [];
for (const table of saved ? [] : TABLES) {
  const runs = [];
  let notes = [];
  for (let seed = 0; seed < SEEDS; seed++) {
    const run = join(work, `${table.name}-${seed}`);
    const output = ae('train', 'dense', '--data', table.file, ...table.flags, '--latent-dim', String(table.latent), '--seed', String(seed), ...COMMON, '--out', run);
    if (seed === 0) notes = dataLines(output);
    const metrics = JSON.parse(await readFile(join(run, 'metrics.json'), 'utf8'));
    const { preprocessing } = await readModelMetadata(join(run, 'model'));
    // The same rows the run trained and tested on, with its saved preprocessing.
    const rows = await readTable(table.file, { preprocessing, seed });
    const base = baselines(rowsOf(rows.train.data), rowsOf(rows.test.data), table.latent);
    runs.push({ seed, testLoss: metrics.testLoss, pca: meanOf(base.pca), mean: meanOf(base.distance), trainRows: rows.train.data.size, testRows: rows.test.data.size, features: preprocessing.scaler.mean.length });
  }
  const result = { name: table.name, file: relative(repo, table.file), about: table.about, flags: table.flags, latent: table.latent, notes, runs };
  if (table.anomaly) result.anomaly = await anomalyRuns(table);
  results.push(result);
}

/** Trains on every label but the anomaly and scores held-out rows of every label; baselines on the same rows. */
async function anomalyRuns(table) {
  const { column, value, testSplit } = table.anomaly;
  const runs = [];
  let base;
  for (let seed = 0; seed < SEEDS; seed++) {
    const run = join(work, `${table.name}-anomaly-${seed}`);
    ae('train', 'dense', '--data', table.file, ...table.flags, '--train-where', `${column}!=${value}`, '--test-split', String(testSplit), '--latent-dim', String(table.latent), '--seed', String(seed), ...COMMON, '--out', run);
    ae('score', run, '--anomaly', value, '--backend', 'wasm');
    const summary = JSON.parse(await readFile(join(run, 'score', 'score-metrics.json'), 'utf8'));
    runs.push({ seed, rocAuc: summary.metrics.rocAuc, averagePrecision: summary.metrics.averagePrecision, bestF1: summary.metrics.bestF1.f1, items: summary.items, anomalies: summary.metrics.anomalies });
    if (seed === 0) {
      const { preprocessing } = await readModelMetadata(join(run, 'model'));
      const rows = await readTable(table.file, { preprocessing, seed, testFraction: testSplit, trainWhere: { column, value, not: true } });
      const test = rows.test.data;
      const labels = Array.from(test.labels(range(0, test.size)), (c) => (rows.preprocessing.labelClasses[c] === value ? 1 : 0));
      const scores = baselines(rowsOf(rows.train.data), rowsOf(test), table.latent);
      base = { distance: anomalyMetrics(scores.distance, labels), pca: anomalyMetrics(scores.pca, labels) };
    }
  }
  return { value, testSplit, runs, baselines: base };
}

if (!saved) await writeFile(
  join(pkg, 'results', 'public-tables.json'),
  JSON.stringify({ generatedBy: 'packages/data-tables/scripts/public-tables.mjs', measuredAt: new Date().toISOString(), source: 'vega-datasets 3.2.1', settings: { family: 'dense', epochs: EPOCHS, batchSize: 32, learningRate: 0.005, seeds: SEEDS, backend: 'wasm' }, tables: results, commands }, null, 2) + '\n',
);

// README sections.
const f4 = (x) => x.toFixed(4);
const verdict = (model, baseline) => (model < baseline ? 'yes' : '**no**');
const lines = [
  `Public tables that the \`vega-datasets\` npm package ships and no test here reads, each trained through \`--data\` as the file is (only flags; no hand editing), \`dense\` with the code size shown, ${EPOCHS} epochs, ${SEEDS} seeds (each its own held-out rows; medians shown). Measured by \`pnpm --filter @aekit/data-tables public-tables\`; figures in [packages/data-tables/results/public-tables.json](packages/data-tables/results/public-tables.json). Losses are mean squared errors per feature on the held-out rows, in standardised units; the baselines are fitted on the same training rows with the same preprocessing.`,
  '',
  '| table | rows (train / test), features | code | test loss | PCA, same components | the training mean | beats PCA | beats the mean |',
  '| --- | --- | ---: | ---: | ---: | ---: | --- | --- |',
];
for (const r of results) {
  const [loss, pca, mean] = ['testLoss', 'pca', 'mean'].map((k) => median(r.runs.map((x) => x[k])));
  lines.push(`| ${r.name} | ${r.runs[0].trainRows} / ${r.runs[0].testRows}, ${r.runs[0].features} | ${r.latent} | ${f4(loss)} | ${f4(pca)} | ${f4(mean)} | ${verdict(loss, pca)} | ${verdict(loss, mean)} |`);
}
for (const r of results.filter((x) => x.anomaly)) {
  const a = r.anomaly;
  const m = (k) => median(a.runs.map((x) => x[k]));
  lines.push(
    '',
    `| ${r.name}: \`${a.value}\` days as anomalies (trained on the other days; ${a.runs[0].anomalies} of ${a.runs[0].items} held-out rows) | ROC AUC | PR AUC | best F1 |`,
    '| --- | ---: | ---: | ---: |',
    `| \`ae score --anomaly ${a.value}\` of the dense autoencoder | ${f4(m('rocAuc'))} | ${f4(m('averagePrecision'))} | ${f4(m('bestF1'))} |`,
    `| PCA reconstruction error (seed 0's rows) | ${f4(a.baselines.pca.rocAuc)} | ${f4(a.baselines.pca.averagePrecision)} | ${f4(a.baselines.pca.bestF1.f1)} |`,
    `| distance to the training mean (seed 0's rows) | ${f4(a.baselines.distance.rocAuc)} | ${f4(a.baselines.distance.averagePrecision)} | ${f4(a.baselines.distance.bestF1.f1)} |`,
    `| chance | 0.5 | ${f4(a.runs[0].anomalies / a.runs[0].items)} | |`,
  );
  const auc = m('rocAuc');
  const better = [['PCA', a.baselines.pca.rocAuc], ['the distance to the training mean', a.baselines.distance.rocAuc]].filter(([, b]) => b >= auc).map(([name]) => name);
  lines.push('', better.length ? `The autoencoder's ROC AUC does **not** beat ${better.join(' or ')} here.` : 'The autoencoder\'s ROC AUC beats both baselines here.');
}
lines.push('', 'What `ae train` said about each file (seed 0):', '');
for (const r of results) lines.push(`- **${r.name}** (${r.about}): ${r.notes.map((n) => n.replace(/^read \d+ training and \d+ test rows of (\d+) features from .*$/, 'read $1 features')).join('; ')}`);
lines.push('', 'Commands (seed 0):', '', '```bash');
for (const c of commands.filter((c) => / --seed 0 |score .*-anomaly-0/.test(c))) lines.push(c.replace(/<tmp>\/([\w-]+)-0\b/g, 'runs/$1'));
lines.push('```');
const section = lines.join('\n');
for (const readme of [join(repo, 'README.md'), join(pkg, 'README.md')]) {
  const next = withResultsSection(await readFile(readme, 'utf8'), section, readme === join(pkg, 'README.md'), 'public-tables');
  if (next !== undefined) await writeFile(readme, next);
}
console.log(section);
