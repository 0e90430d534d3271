#!/usr/bin/env node
// Measures what `ae train` does with its defaults on public data shipped by
// npm packages, against the baselines every run now computes (the training
// mean, and PCA with as many components as the code has values), and writes
// results/defaults/results.json, the pictures beside it and the root
// README's section between the `defaults-results` markers:
//
// - three tables of vega-datasets (Palmer penguins, cars, Seattle weather),
//   `dense` and `deep` with only --data and --label (and --skip-bad for the
//   rows with missing values), 3 seeds each: test MSE against the mean's
//   and PCA's on the same split;
// - two anomaly tasks on those tables (Chinstrap among Adelie and Gentoo
//   penguins; European cars among American and Japanese ones), trained on
//   normal rows only: ROC AUC of `ae score` against the distance to the
//   training mean, PCA error and an isolation forest;
// - the 1,911 Twemoji images of emoji-datasource-twitter at 32x32 in
//   colour: PSNR and SSIM of the test reconstructions of `conv` and
//   `conv-vae`, before (the MNIST tutorials' settings, as the families had
//   them) and after (today's defaults), with their reconstruction pictures;
// - MNIST, where the defaults came from: `ae train dense|deep|conv|vae` with
//   no flag against the figures the families' READMEs measured with the
//   tutorials' fixed epochs.
//
// Each run goes to --work (default runs/defaults-results) and is reused when
// its metrics.json is there, and continued from its checkpoint when it was
// interrupted, so an interrupted measurement continues. Slow:
// hours on a shared 2-core machine; run it with `nice`.
//
//   pnpm build && nice node scripts/defaults-results.mjs [--seeds 3] [--work runs/defaults-results] [--only tables,anomaly,images,mnist]
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync, copyFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createRng } from '@aekit/core';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values: args } = parseArgs({
  options: {
    seeds: { type: 'string', default: '3' },
    work: { type: 'string', default: join(repo, 'runs', 'defaults-results') },
    only: { type: 'string', default: 'tables,anomaly,images,mnist' },
  },
});
const SEEDS = Number(args.seeds);
const work = resolve(args.work);
const only = new Set(args.only.split(','));
const out = join(repo, 'results', 'defaults');
mkdirSync(work, { recursive: true });
mkdirSync(out, { recursive: true });
// vega-datasets (a devDependency of data-tables) exports only its loader module; its data files ship beside it.
const vega = join(repo, 'packages', 'data-tables', 'node_modules', 'vega-datasets', 'data');
const commands = new Set();

/**
 * Runs `ae` from the repository root unless the run directory already holds a metrics file; returns the run's metrics.
 * A run interrupted by a crash or Ctrl-C continues from its checkpoint (to the weights an uninterrupted run reaches).
 */
function train(runDir, argv, backend = 'wasm') {
  const shown = ['pnpm ae', ...argv.map((a) => (a.startsWith(work) ? `<work>${a.slice(work.length)}` : a.startsWith(repo) ? relative(repo, a) : a))].join(' ');
  commands.add(shown.replace(/--seed \d+/, '--seed <s>'));
  const metricsFile = join(runDir, 'metrics.json');
  if (!existsSync(metricsFile)) {
    const ae = join(repo, 'packages/cli/dist/bin/ae.js');
    if (existsSync(join(runDir, 'checkpoint', 'state.json'))) {
      console.log(`> ${shown} (resumed)`);
      execFileSync(process.execPath, [ae, 'train', '--resume', runDir, '--backend', backend], { cwd: repo, stdio: 'inherit' });
    } else {
      rmSync(runDir, { recursive: true, force: true });
      console.log(`> ${shown}`);
      execFileSync(process.execPath, [ae, ...argv, '--backend', backend, '--out', runDir], { cwd: repo, stdio: 'inherit' });
    }
  }
  return JSON.parse(readFileSync(metricsFile, 'utf8'));
}

/** What the image and MNIST rows keep of a run's metrics: its settings, test loss, baselines and warnings. */
function runFigures(m) {
  return {
    config: m.config,
    epochs: m.epochs,
    batchSize: m.batchSize,
    testLoss: m.testLoss,
    reconstruction: m.baselines?.model,
    mean: m.baselines?.mean,
    pca: m.baselines?.pca,
    warnings: m.warnings.map((w) => w.code),
    seconds: m.seconds,
  };
}

function score(runDir, file) {
  const summaryFile = join(runDir, 'score', 'score-metrics.json');
  commands.add(`pnpm ae score <run> ${relative(work, file)} --skip-bad`);
  if (!existsSync(summaryFile)) execFileSync(process.execPath, [join(repo, 'packages/cli/dist/bin/ae.js'), 'score', runDir, file, '--skip-bad', '--backend', 'wasm'], { cwd: repo, stdio: 'inherit' });
  return JSON.parse(readFileSync(summaryFile, 'utf8'));
}

const csvCell = (v) => (v === null || v === undefined ? '' : /[",\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v));
function writeCsv(file, rows, columns) {
  writeFileSync(file, [columns.join(','), ...rows.map((r) => columns.map((c) => csvCell(r[c])).join(','))].join('\n') + '\n');
  return file;
}
const seeds = Array.from({ length: SEEDS }, (_, s) => s);

// The tables, as a user would hand them over: the cars without their name column (402 distinct names), the weather without its date.
const cars = JSON.parse(readFileSync(join(vega, 'cars.json'), 'utf8'));
const carColumns = ['Miles_per_Gallon', 'Cylinders', 'Displacement', 'Horsepower', 'Weight_in_lbs', 'Acceleration', 'Year', 'Origin'];
const weather = readFileSync(join(vega, 'seattle-weather.csv'), 'utf8').trim().split('\n');
const tables = [
  { key: 'penguins', name: 'Palmer penguins', file: join(vega, 'penguins.json'), label: 'Species', source: 'vega-datasets data/penguins.json' },
  { key: 'cars', name: 'cars', file: writeCsv(join(work, 'cars.csv'), cars, carColumns), label: 'Origin', source: 'vega-datasets data/cars.json without Name' },
  {
    key: 'weather',
    name: 'Seattle weather',
    file: writeCsv(join(work, 'seattle-weather.csv'), weather.slice(1).map((l) => Object.fromEntries(l.split(',').map((v, i) => [weather[0].split(',')[i], v]))), ['precipitation', 'temp_max', 'temp_min', 'wind', 'weather']),
    label: 'weather',
    source: 'vega-datasets data/seattle-weather.csv without date',
  },
];
const FAMILIES = ['dense', 'deep'];

const results = { generatedBy: 'scripts/defaults-results.mjs', measuredAt: new Date().toISOString(), seeds: SEEDS, tables: [], anomaly: [], images: [], mnist: [] };
/**
 * The best epoch counted from 1, as the log prints it: its place in the
 * history, which reads metrics.json files written before they counted
 * epochs from 1 (cached runs) and after alike.
 */
const bestEpochOf = (m) => m.history.findIndex((r) => r.epoch === m.bestEpoch) + 1;

/** What results.json held when this part was not measured: read at the end, as another instance may have written it meanwhile. */
const previous = () => (existsSync(join(out, 'results.json')) ? JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) : {});

// 1. Test loss of the defaults against the mean and PCA.
if (only.has('tables')) {
  for (const table of tables) {
    for (const family of FAMILIES) {
      const runs = seeds.map((seed) => {
        const m = train(join(work, `${table.key}-${family}-${seed}`), ['train', family, '--data', table.file, '--label', table.label, '--skip-bad', '--seed', String(seed), '--code-points', '400']);
        return { seed, testLoss: m.testLoss, mean: m.baselines.mean, pca: m.baselines.pca?.loss, components: m.baselines.pca?.components, latentDim: m.config.latentDim, features: m.dataShape[0], epochs: m.epochs, bestEpoch: bestEpochOf(m), stopReason: m.stopReason, batchSize: m.batchSize, testRows: m.testSamples, trainingRows: m.trainingSamples, warnings: m.warnings.map((w) => w.code), seconds: m.seconds };
      });
      results.tables.push({ table: table.key, name: table.name, source: table.source, label: table.label, family, runs });
    }
  }
  copyFileSync(join(work, 'cars-deep-0', 'loss.png'), join(out, 'cars-deep-loss.png'));
} else results.tables = undefined;

// 2. Anomaly detection, trained on normal rows only.
if (only.has('anomaly')) {
  const penguins = JSON.parse(readFileSync(join(vega, 'penguins.json'), 'utf8'));
  const tasks = [
    { key: 'penguins', name: 'Chinstrap among Adelie and Gentoo penguins', rows: penguins, columns: Object.keys(penguins[0]).filter((c) => c !== 'Species'), anomalous: (r) => r.Species === 'Chinstrap' },
    { key: 'cars', name: 'European cars among American and Japanese ones', rows: cars, columns: carColumns.filter((c) => c !== 'Origin'), anomalous: (r) => r.Origin === 'Europe' },
  ];
  for (const task of tasks) {
    // 70% of the normal rows to train on (seeded), the rest and every anomaly to score.
    const rng = createRng(17);
    const normal = task.rows.filter((r) => !task.anomalous(r)).map((r) => ({ r, k: rng() })).sort((a, b) => a.k - b.k).map((x) => x.r);
    const cut = Math.round(normal.length * 0.7);
    const label = (r) => ({ ...r, anomaly: task.anomalous(r) ? 1 : 0 });
    const trainFile = writeCsv(join(work, `${task.key}-normal-train.csv`), normal.slice(0, cut).map(label), [...task.columns, 'anomaly']);
    const testFile = writeCsv(join(work, `${task.key}-anomaly-test.csv`), [...normal.slice(cut), ...task.rows.filter(task.anomalous)].map(label), [...task.columns, 'anomaly']);
    for (const family of FAMILIES) {
      const runs = seeds.map((seed) => {
        const run = join(work, `${task.key}-anomaly-${family}-${seed}`);
        train(run, ['train', family, '--data', trainFile, '--label', 'anomaly', '--skip-bad', '--seed', String(seed), '--code-points', '400']);
        const s = score(run, testFile);
        const b = s.baselines;
        return { seed, rocAuc: s.metrics.rocAuc, averagePrecision: s.metrics.averagePrecision, items: s.items, anomalies: s.metrics.anomalies, distanceToMean: b.distanceToMean?.rocAuc, pca: b.pca?.rocAuc, components: b.pca?.components, isolationForest: b.isolationForest?.rocAuc };
      });
      results.anomaly.push({ task: task.key, name: task.name, family, runs });
    }
  }
} else results.anomaly = undefined;

// 3. Colour images: conv and conv-vae before (the tutorials' settings) and after (the defaults).
if (only.has('images')) {
  const emojiPkg = dirname(createRequire(join(repo, 'packages', 'data-images', 'package.json')).resolve('emoji-datasource-twitter/package.json'));
  const emoji = JSON.parse(readFileSync(join(emojiPkg, 'emoji.json'), 'utf8'));
  const folder = join(work, 'emoji');
  if (!existsSync(folder)) {
    for (const e of emoji) {
      if (!e.has_img_twitter) continue;
      const category = e.category.replace(/[^A-Za-z]+/g, '-').toLowerCase();
      mkdirSync(join(folder, category), { recursive: true });
      symlinkSync(join(emojiPkg, 'img', 'twitter', '64', e.image), join(folder, category, e.image));
    }
  }
  const data = ['--data', folder, '--image-size', '32x32', '--channels', '3', '--code-points', '400'];
  const variants = [
    // The families' settings before data-aware defaults: the Keras blog's 16-8-8 convolutions, 30 epochs of 64 as the README ran them.
    { family: 'conv', when: 'before', argv: ['--config', '{"encoderFilters":[16,8,8]}', '--epochs', '30', '--batch-size', '64', '--no-early-stopping'] },
    { family: 'conv', when: 'after', argv: [] },
    // The Keras convolutional VAE example: 2-D latent space, 32 and 64 filters, a dense layer of 16, no warm-up or free bits, 30 epochs of 128.
    { family: 'conv-vae', when: 'before', argv: ['--config', '{"latentDim":2,"filters":[32,64],"denseUnits":16,"klWarmupEpochs":0,"freeBits":0}', '--epochs', '30', '--batch-size', '128', '--no-early-stopping'] },
    { family: 'conv-vae', when: 'after', argv: [] },
  ];
  const { imageQuality } = await import('./image-quality.mjs');
  for (const v of variants) {
    const run = join(work, `emoji-${v.family}-${v.when}`);
    const m = train(run, ['train', v.family, ...data, '--seed', '0', ...v.argv]);
    const quality = await imageQuality(run, folder);
    const picture = `emoji-${v.family}-${v.when}-reconstructions.png`;
    copyFileSync(join(run, 'reconstructions.png'), join(out, picture));
    results.images.push({
      family: v.family,
      when: v.when,
      settings: v.argv.join(' ') || 'defaults',
      ...runFigures(m),
      kl: m.elbo?.kl,
      ...quality,
      picture,
    });
  }
} else results.images = undefined;

// 4. MNIST, where the families' defaults came from the tutorials: `ae train <family>` with no flag, today (a step
// budget, early stopping, best weights kept), against the rows the families' READMEs measured with the tutorials'
// fixed epochs. On the native kernels (auto's pick for these families), as the wasm backend would take an hour more.
const EARLIER_MNIST = {
  dense: { testLoss: 0.0917, how: '`ae train dense --epochs 50`: 50 epochs of 256 on 54,000 digits', where: 'packages/models-dense/README.md' },
  deep: { testLoss: 0.0843, how: '50 epochs of 256 on all 60,000 training digits, no validation split', where: 'packages/models-dense/README.md' },
  conv: { testLoss: 0.0902, how: '`ae train conv --epochs 50`: 50 epochs of 128, five times the default budget', where: 'packages/models-conv/README.md' },
  vae: { testLoss: 149.99, how: '50 epochs of 128 on all 60,000 training digits', where: 'packages/models-vae/README.md' },
};
if (only.has('mnist')) {
  results.mnist = [];
  for (const family of Object.keys(EARLIER_MNIST)) {
    const m = train(join(work, `mnist-${family}`), ['train', family, '--seed', '0'], 'native');
    results.mnist.push({
      family,
      ...runFigures(m),
      backend: m.backend,
      bestEpoch: bestEpochOf(m),
      stopReason: m.stopReason,
      trainingSamples: m.trainingSamples,
      testSamples: m.testSamples,
      term: m.baselines?.term,
      earlier: EARLIER_MNIST[family],
    });
  }
} else results.mnist = undefined;

const before = previous();
for (const part of ['tables', 'anomaly', 'images', 'mnist']) results[part] ??= before[part] ?? [];
results.commands = [...new Set([...(before.commands ?? []), ...commands])];
writeFileSync(join(out, 'results.json'), JSON.stringify(results, null, 2) + '\n');
const { defaultsSection, writeDefaultsSection } = await import('./defaults-section.mjs');
writeDefaultsSection();
console.log(defaultsSection(results));
