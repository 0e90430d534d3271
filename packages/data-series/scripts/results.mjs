#!/usr/bin/env node
// Measures the series results in the root README and this package's README
// on a public series shipped by an npm package that the tests do not use:
// the monthly CO2 concentration at Mauna Loa, 1958-2020, from vega-datasets.
// Everything goes through `ae train lstm --data` and `ae score` as a user
// would run them, with no hand editing of the file:
//
//   1. the clean series: how many points of its test part get flagged,
//      with the default per-window detrending and with `--detrend none`
//      (the training part's mean only), beside a rolling z-score whose
//      threshold is chosen the same way (99th percentile on the validation
//      part);
//   2. the same series with spikes and level shifts that this script
//      injects into its test part (and labels): ROC AUC per point of the
//      autoencoder's scores beside the rolling z-score's, which `ae score`
//      prints itself.
//
// Writes results/results.json, results/results.md and the README sections
// between the `series-results` markers.
//
//   pnpm build && pnpm --filter @aekit/data-series results [--epochs 30]
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRng, percentile, rollingZScores } from '@aekit/core';
import { readSeries, seriesCsv } from '../dist/index.js';
import { absoluteLinks } from '../../../scripts/readme-links.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const pkg = resolve(here, '..');
const repo = resolve(pkg, '../..');
// vega-datasets (a devDependency) ships its data files beside its loader.
const co2File = join(pkg, 'node_modules', 'vega-datasets', 'data', 'co2-concentration.csv');

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const EPOCHS = option('epochs', 30);
const WINDOW = 24;
const TRAIN = ['--window', String(WINDOW), '--epochs', String(EPOCHS), '--seed', '0', '--backend', 'wasm'];

const work = await mkdtemp(join(tmpdir(), 'aekit-series-results-'));
const shown = (path) => (path.startsWith(work) ? `<tmp>${path.slice(work.length)}` : relative(repo, path));
const commands = [];

/** Runs `ae` from the repository root (whose devDependencies hold the plugins) and returns its output. */
function ae(...argv) {
  commands.push(`pnpm ae ${argv.map((a) => (a.includes(' ') ? `'${a}'` : shown(a))).join(' ')}`);
  return execFileSync(process.execPath, [join(repo, 'packages/cli/dist/bin/ae.js'), ...argv], { cwd: repo, encoding: 'utf8' });
}

async function json(file) {
  return JSON.parse(await readFile(file, 'utf8'));
}

/** Trains on a series file and scores the run's test part; returns the run's and the score's JSON. */
async function trainAndScore(file, name, extra = []) {
  const run = join(work, name);
  ae('train', 'lstm', '--data', file, ...TRAIN, ...extra, '--out', run);
  ae('score', run, '--backend', 'wasm');
  return { run, metrics: await json(join(run, 'metrics.json')), score: await json(join(run, 'score', 'score-metrics.json')) };
}

/**
 * The rolling z-score's flag rate on the test part, with its threshold
 * chosen as the autoencoder's is: the 99th percentile of its scores on the
 * validation part.
 */
async function rollingZFlagRate(file, parts) {
  const { series } = await readSeries(file);
  const z = rollingZScores(series, WINDOW);
  const threshold = percentile(z.subarray(parts.trainEnd, parts.validationEnd), 99);
  const test = z.subarray(parts.validationEnd);
  return { threshold, flagRate: test.filter((v) => v > threshold).length / test.length };
}

/** The CO2 file with spikes and level shifts added to its test part, and a 0/1 label column. */
async function injectAnomalies(parts) {
  const { series } = await readSeries(co2File);
  const { channels, length } = series;
  const values = Float32Array.from(series.values);
  const labels = new Uint8Array(length);
  const rng = createRng('co2-anomalies');
  // Month-to-month changes of the training part set the sizes: a spike is 4 of their spreads, a shift 3.
  const changes = Array.from({ length: parts.trainEnd - 1 }, (_, t) => values[(t + 1) * channels] - values[t * channels]);
  const mean = changes.reduce((a, b) => a + b, 0) / changes.length;
  const spread = Math.sqrt(changes.reduce((a, b) => a + (b - mean) ** 2, 0) / changes.length);
  const injected = [];
  const start = parts.validationEnd + WINDOW;
  const slots = [0, 1, 2, 3, 4, 5].map((i) => start + Math.floor(((length - start - 16) * i) / 6));
  slots.forEach((at, i) => {
    const sign = rng() < 0.5 ? -1 : 1;
    const kind = i % 3 === 2 ? 'level-shift' : 'spike';
    const span = kind === 'spike' ? 1 : 12;
    const size = sign * (kind === 'spike' ? 4 : 3) * spread;
    for (let t = at; t < at + span; t++) {
      // Every signal (CO2 and its seasonally adjusted twin) moves together, as a bad reading of the instrument would.
      for (let c = 0; c < channels; c++) values[t * channels + c] += size;
      labels[t] = 1;
    }
    injected.push({ kind, at: at, points: span, size: Number(size.toFixed(3)) });
  });
  const file = join(work, 'co2-injected.csv');
  await writeFile(file, seriesCsv({ ...series, values, labels }));
  return { file, injected, spread };
}

const pct = (x) => `${(100 * x).toFixed(1)}%`;
const fixed = (x) => (x === undefined ? 'n/a' : x.toFixed(3));

const clean = await trainAndScore(co2File, 'co2');
const none = await trainAndScore(co2File, 'co2-detrend-none', ['--detrend', 'none']);
const parts = clean.metrics.series.parts;
const baseline = await rollingZFlagRate(co2File, parts);
const { file: injectedFile, injected, spread } = await injectAnomalies(parts);
const dirty = await trainAndScore(injectedFile, 'co2-injected');

const results = {
  data: 'co2-concentration.csv from vega-datasets 3.2.1: monthly CO2 at Mauna Loa (ppm) and its seasonally adjusted twin, 741 months from 1958-03',
  settings: { window: WINDOW, epochs: EPOCHS, seed: 0, backend: 'wasm', family: 'lstm (defaults)' },
  parts,
  clean: {
    default: { detrend: clean.metrics.config && 'window-linear', testLoss: clean.metrics.testLoss, threshold: clean.score.threshold, flagRate: clean.score.flagRate, flagged: clean.score.flaggedPoints, points: clean.score.points, warnings: clean.score.warnings },
    detrendNone: { detrend: 'none', testLoss: none.metrics.testLoss, threshold: none.score.threshold, flagRate: none.score.flagRate, flagged: none.score.flaggedPoints, points: none.score.points, warnings: none.score.warnings },
    rollingZScore: { window: WINDOW, ...baseline },
    expectedFlagRate: clean.score.expectedFlagRate,
  },
  injected: {
    anomalies: injected,
    changeSpread: spread,
    rocAuc: dirty.score.metrics?.rocAuc,
    windowRocAuc: dirty.score.metrics?.windowRocAuc,
    averagePrecision: dirty.score.metrics?.averagePrecision,
    chanceAveragePrecision: dirty.score.metrics?.chanceAveragePrecision,
    atThreshold: dirty.score.metrics?.atThreshold,
    rollingZScoreRocAuc: dirty.score.baselines?.rollingZScore.rocAuc,
  },
  commands,
};

const beats = results.injected.rocAuc > results.injected.rollingZScoreRocAuc;
const section = `Measured by \`pnpm --filter @aekit/data-series results\` ([packages/data-series/results/results.md](packages/data-series/results/results.md)) on the monthly CO2 concentration at Mauna Loa that the \`vega-datasets\` npm package ships (741 months from 1958, CO2 and its seasonally adjusted twin, three months missing; a steady climb of about 100 ppm with a yearly cycle of about 6 ppm), trained with \`ae train lstm --data\` (family defaults, windows of ${WINDOW} months, ${EPOCHS} epochs, seed 0): ${parts.trainEnd} months to train on, ${parts.validationEnd - parts.trainEnd} to validate (the threshold: the 99th percentile of their scores), ${parts.length - parts.validationEnd} to test.

| the clean series, test part (${clean.score.points} months, no anomalies) | flagged months | flag rate (the threshold expects ${pct(results.clean.expectedFlagRate)}) |
| --- | ---: | ---: |
| \`ae score\` of the default model (each window's own line removed) | ${clean.score.flaggedPoints} | ${pct(clean.score.flagRate)} |
| the same with \`--detrend none\` (the training part's mean only) | ${none.score.flaggedPoints} | ${pct(none.score.flagRate)} |
| rolling z-score over the ${WINDOW} months before, threshold chosen the same way | ${Math.round(baseline.flagRate * clean.score.points)} | ${pct(baseline.flagRate)} |

| the series with ${injected.length} anomalies injected into its test part by the script (${injected.filter((a) => a.kind === 'spike').length} spikes of 4 and ${injected.filter((a) => a.kind === 'level-shift').length} level shifts of 3 spreads of the monthly change, 12 months each; ${dirty.score.metrics?.anomalies} of ${dirty.score.points} test months) | ROC AUC, months | PR AUC (chance ${fixed(results.injected.chanceAveragePrecision)}) |
| --- | ---: | ---: |
| \`ae score\` of the lstm trained on that file | ${fixed(results.injected.rocAuc)} | ${fixed(results.injected.averagePrecision)} |
| rolling z-score over the ${WINDOW} months before | ${fixed(results.injected.rollingZScoreRocAuc)} | |

${beats ? 'The autoencoder ranks the injected months above the normal ones better than the rolling z-score does.' : '**The autoencoder does not beat the rolling z-score here**: the simple baseline ranks the injected months at least as well.'} At its saved threshold it flags ${dirty.score.flaggedPoints} test months (precision ${fixed(results.injected.atThreshold?.precision)}, recall ${fixed(results.injected.atThreshold?.recall)}). Commands:

\`\`\`bash
${commands.join('\n')}
\`\`\`
`;

await mkdir(join(pkg, 'results'), { recursive: true });
await writeFile(join(pkg, 'results', 'results.json'), JSON.stringify(results, null, 2) + '\n');
await writeFile(join(pkg, 'results', 'results.md'), `# Series results\n\n${section.replace('([packages/data-series/results/results.md](packages/data-series/results/results.md)) ', '')}\nFigures in [results.json](results.json).\n`);
const START = '<!-- series-results:start -->';
const END = '<!-- series-results:end -->';
for (const [readme, forPackage] of [[join(repo, 'README.md'), false], [join(pkg, 'README.md'), true]]) {
  const text = await readFile(readme, 'utf8');
  if (!text.includes(START)) continue;
  const body = forPackage ? absoluteLinks(section.replaceAll('packages/data-series/results/', 'results/'), pkg) : section;
  await writeFile(readme, text.slice(0, text.indexOf(START) + START.length) + '\n' + body + text.slice(text.indexOf(END)));
}
console.log(section);
