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
import { readSeries, seriesCsv, seriesParts, SERIES_TEST_SPLIT, SERIES_VALIDATION_SPLIT } from '../dist/index.js';
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

/**
 * Trains on the file with injected anomalies (its training and validation
 * parts are the clean series', so the model and its threshold are those a
 * clean file gives), scores the run's test part (labelled: ROC AUC, and
 * the flag rate of its normal months) and the whole clean file (the flag
 * rate of its test part, read from scores.csv).
 */
async function trainAndScore(name, extra = []) {
  const run = join(work, name);
  ae('train', 'lstm', '--data', injectedFile, ...TRAIN, ...extra, '--out', run);
  ae('score', run, '--backend', 'wasm');
  const cleanOut = join(run, 'score-clean');
  ae('score', run, co2File, '--out', cleanOut, '--backend', 'wasm');
  const metrics = await json(join(run, 'metrics.json'));
  const rows = (await readFile(join(cleanOut, 'scores.csv'), 'utf8')).trim().split('\n').slice(1).map((l) => l.split(','));
  // Rows are in time order from the first scored point; the test part is the last length - validationEnd of the file.
  const testRows = rows.slice(rows.length - (metrics.series.parts.length - metrics.series.parts.validationEnd));
  // Columns: time, one per signal, score, flagged.
  const flagColumn = 1 + metrics.series.columns.valueColumns.length + 1;
  const cleanFlagged = testRows.filter((r) => r[flagColumn] === '1').length;
  return {
    metrics,
    score: await json(join(run, 'score', 'score-metrics.json')),
    clean: { ...(await json(join(cleanOut, 'score-metrics.json'))), testFlagged: cleanFlagged, testPoints: testRows.length },
  };
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

const { series: co2, columns } = await readSeries(co2File);
const parts = seriesParts(co2.length, { window: WINDOW, difference: 0 }, SERIES_TEST_SPLIT, SERIES_VALIDATION_SPLIT);
const { file: injectedFile, injected, spread } = await injectAnomalies(parts);
const byDefault = await trainAndScore('co2');
const none = await trainAndScore('co2-detrend-none', ['--detrend', 'none']);
const baseline = await rollingZFlagRate(co2File, parts);
const summary = (r, detrend) => ({
  detrend,
  testLoss: r.metrics.testLoss,
  threshold: r.metrics.series.threshold,
  // The clean file: the months of its test part flagged.
  clean: { flagged: r.clean.testFlagged, points: r.clean.testPoints, flagRate: r.clean.testFlagged / r.clean.testPoints, wholeFile: { flagged: r.clean.flaggedPoints, points: r.clean.points, warnings: r.clean.warnings } },
  // The file with injected anomalies, its test part (labelled).
  injected: {
    rocAuc: r.score.metrics?.rocAuc,
    windowRocAuc: r.score.metrics?.windowRocAuc,
    averagePrecision: r.score.metrics?.averagePrecision,
    atThreshold: r.score.metrics?.atThreshold,
    normalFlagRate: r.score.normalFlagRate,
    rollingZScoreRocAuc: r.score.baselines?.rollingZScore.rocAuc,
    warnings: r.score.warnings,
  },
});
const results = {
  data: `co2-concentration.csv from vega-datasets 3.2.1: monthly CO2 at Mauna Loa (ppm), ${co2.length} months, columns ${columns.valueColumns.join(', ')}`,
  settings: { window: WINDOW, epochs: EPOCHS, seed: 0, backend: 'wasm', family: 'lstm (its default config)' },
  parts,
  anomalies: { injected, monthlyChangeSpread: spread, anomalous: byDefault.score.metrics?.anomalies, testPoints: byDefault.score.points, chanceAveragePrecision: byDefault.score.metrics?.chanceAveragePrecision },
  expectedFlagRate: byDefault.score.expectedFlagRate,
  default: summary(byDefault, 'window-linear'),
  detrendNone: summary(none, 'none'),
  rollingZScore: { window: WINDOW, cleanFlagRate: baseline.flagRate, cleanFlagged: Math.round(baseline.flagRate * (parts.length - parts.validationEnd)), threshold: baseline.threshold },
  commands,
};

const d = results.default;
const n = results.detrendNone;
const testPoints = parts.length - parts.validationEnd;
const beats = d.injected.rocAuc > d.injected.rollingZScoreRocAuc;
const section = `Measured by \`pnpm --filter @aekit/data-series results\` ([packages/data-series/results/results.md](packages/data-series/results/results.md)) on the monthly CO2 concentration at Mauna Loa that the \`vega-datasets\` npm package ships (${co2.length} months from 1958 with three missing, CO2 and its seasonally adjusted twin; a climb of about 100 ppm with a yearly cycle of about 6 ppm; no test uses it), read by \`ae train lstm --data\` with no editing (the \`Date\` column and both signals found by themselves): windows of ${WINDOW} months, ${EPOCHS} epochs, seed 0, the lstm's default config; ${parts.trainEnd} months to train on, ${parts.validationEnd - parts.trainEnd} to validate (the threshold is the 99th percentile of their scores, so it flags about ${pct(results.expectedFlagRate)} of months like them), the last ${testPoints} to test. The script also writes a copy with ${injected.length} anomalies injected into the test part and labelled (${injected.filter((a) => a.kind === 'spike').length} one-month spikes of 4 and ${injected.filter((a) => a.kind === 'level-shift').length} twelve-month level shifts of 3 spreads of the month-to-month change: ${results.anomalies.anomalous} of ${results.anomalies.testPoints} test months); the model trains on that copy, whose training and validation parts are the clean series'.

| | test months flagged, clean series | ROC AUC of the injected months | PR AUC (chance ${fixed(results.anomalies.chanceAveragePrecision)}) | normal test months flagged, injected copy |
| --- | ---: | ---: | ---: | ---: |
| \`ae score\`, default: each window's own line removed | ${d.clean.flagged} of ${d.clean.points} (${pct(d.clean.flagRate)}) | ${fixed(d.injected.rocAuc)} | ${fixed(d.injected.averagePrecision)} | ${pct(d.injected.normalFlagRate)} |
| \`ae score\`, \`--detrend none\` (the training part's mean only) | ${n.clean.flagged} of ${n.clean.points} (${pct(n.clean.flagRate)}) | ${fixed(n.injected.rocAuc)} | ${fixed(n.injected.averagePrecision)} | ${pct(n.injected.normalFlagRate)} |
| rolling z-score over the ${WINDOW} months before (threshold: the same percentile of its validation scores) | ${results.rollingZScore.cleanFlagged} of ${testPoints} (${pct(results.rollingZScore.cleanFlagRate)}) | ${fixed(d.injected.rollingZScoreRocAuc)} | | |

${beats ? `The default model ranks the injected months above the normal ones better than the rolling z-score does (${fixed(d.injected.rocAuc)} against ${fixed(d.injected.rollingZScoreRocAuc)}).` : `**The autoencoder does not beat the rolling z-score here**: the simple baseline ranks the injected months ${d.injected.rollingZScoreRocAuc > d.injected.rocAuc ? 'better' : 'as well'} (${fixed(d.injected.rollingZScoreRocAuc)} against ${fixed(d.injected.rocAuc)}).`} At its saved threshold the default model flags the injected copy's test part with precision ${fixed(d.injected.atThreshold?.precision)} and recall ${fixed(d.injected.atThreshold?.recall)}.${n.clean.flagRate > 5 * results.expectedFlagRate ? ` With \`--detrend none\`, \`ae score\` flags ${pct(n.clean.flagRate)} of the clean test months and says so in a warning line.` : ''} Commands (\`<tmp>\` is the script's temporary folder):

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
