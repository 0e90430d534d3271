// The guides' result pictures, made by running the commands the guides show,
// at full scale, and copying the pictures `ae` wrote into
// public/images/results/<run>/. results/pictures.json records for each run
// the commands, when they ran, the figures they reported and the pictures,
// from which `scripts/prepare.mjs` writes the fragment a guide includes
// (guide/_generated/pictures-<run>.md), so a caption never differs from the
// run. A test checks that every picture the site ships is one of these or
// otherwise referenced (apps/docs/test/generated.test.ts).
//
//   node apps/docs/scripts/result-pictures.mjs                 # every run
//   node apps/docs/scripts/result-pictures.mjs dense-10           # some
//
// Runs go to runs/result-pictures/<run>/ (kept: a run whose folder already
// has its pictures is not trained again; --fresh trains it anew). The figures
// depend on the machine's load only in seconds.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';

const run = promisify(execFile);
const docs = join(dirname(fileURLToPath(import.meta.url)), '..');
const repo = join(docs, '..', '..');
const ae = join(repo, 'packages/cli/dist/bin/ae.js');
const manifestFile = join(docs, 'results', 'pictures.json');

/** What each picture of a run directory shows (its alt text). */
const PICTURE_TEXT = {
  'reconstructions.png': "ten test digits (top row) and their reconstructions (bottom row), with each digit's code as a small picture between them",
  'loss.png': "training and validation loss per epoch, with the test loss of the training mean and of PCA at the code's size as flat lines",
  'codes.png': "the test digits' codes embedded in 2-D with UMAP, one colour per digit",
  'code-activity.png': "the mean absolute activation of each code unit on the test digits, most active first",
  'series.png': "the test part of the series, each signal scaled, over time, with the points flagged as anomalies marked in red",
  'scores.png': "each test point's anomaly score (its reconstruction error) over time, the threshold chosen on the validation points as a flat line, the flagged points marked",
};

/**
 * The runs: `commands` are `ae` arguments run in order in a folder of their
 * own (`$RUN` stands for the run directory), `pictures` are files of that
 * folder (shipped under their base names), `metrics` the metrics.json whose
 * figures the caption gives, and `scores` the score-metrics.json of an
 * anomaly run, whose ROC AUC the caption sets beside its baseline's.
 * The runs beyond getting-started's are small (few epochs, --limit) so that
 * they cost about a minute each; their captions say so.
 */
export const RUNS = [
  {
    id: 'dense-10',
    page: 'getting-started',
    commands: [['train', 'dense', '--epochs', '10', '--out', '$RUN']],
    pictures: ['reconstructions.png', 'loss.png', 'codes.png'],
    metrics: 'metrics.json',
  },
  {
    id: 'deep-10k',
    page: 'families/deep',
    commands: [['train', 'deep', '--epochs', '10', '--limit', '10000', '--batch-size', '32', '--out', '$RUN']],
    pictures: ['reconstructions.png', 'loss.png', 'codes.png'],
    metrics: 'metrics.json',
  },
  {
    id: 'contractive-10k',
    page: 'families/contractive',
    commands: [['train', 'contractive', '--epochs', '10', '--limit', '10000', '--batch-size', '32', '--out', '$RUN']],
    pictures: ['reconstructions.png', 'loss.png', 'codes.png'],
    metrics: 'metrics.json',
  },
  {
    id: 'sparse-10k',
    page: 'families/sparse',
    commands: [['train', 'sparse', '--epochs', '10', '--limit', '10000', '--batch-size', '32', '--out', '$RUN']],
    pictures: ['reconstructions.png', 'loss.png', 'code-activity.png'],
    metrics: 'metrics.json',
  },
  {
    id: 'lstm-detect',
    page: 'families/sequence',
    commands: [['detect', '--epochs', '10', '--out', '$RUN']],
    pictures: ['score/series.png', 'score/scores.png', 'loss.png'],
    metrics: 'metrics.json',
    scores: 'score/score-metrics.json',
  },
];

/** `ae` arguments with the run directory filled in. */
const argsOf = (command, dir) => command.map((arg) => (arg === '$RUN' ? dir : arg));

/** The command as a guide shows it: `ae train dense --epochs 50`, the run directory as runs/<id>. */
export function shownCommand(command, id) {
  return ['ae', ...argsOf(command, `runs/${id}`)].join(' ');
}

async function readManifest() {
  return existsSync(manifestFile) ? JSON.parse(await readFile(manifestFile, 'utf8')) : { runs: {} };
}

/** The figures of an anomaly run's score-metrics.json the caption gives: ROC AUC per point and per window, and the rolling z-score's. */
function detectionFigures(scores) {
  return {
    points: scores.points,
    anomalies: scores.metrics?.anomalies,
    flaggedPoints: scores.flaggedPoints,
    rocAuc: scores.metrics?.rocAuc,
    windowRocAuc: scores.metrics?.windowRocAuc,
    rollingZScoreRocAuc: scores.baselines?.rollingZScore?.rocAuc,
    warnings: scores.warnings ?? [],
  };
}

async function makeRun(spec, runsDir, fresh) {
  const dir = join(runsDir, spec.id);
  const done = [...spec.pictures, spec.metrics, ...(spec.scores ? [spec.scores] : [])].every((file) => existsSync(join(dir, file)));
  if (fresh || !done) {
    await rm(dir, { recursive: true, force: true });
    for (const command of spec.commands) {
      const args = argsOf(command, dir);
      console.log(`result-pictures: ae ${args.join(' ')}`);
      await run('nice', [process.execPath, ae, ...args], { cwd: repo, maxBuffer: 64 * 1024 * 1024 });
    }
  }
  const metrics = JSON.parse(await readFile(join(dir, spec.metrics), 'utf8'));
  const target = join(docs, 'public', 'images', 'results', spec.id);
  await mkdir(target, { recursive: true });
  for (const file of spec.pictures) await copyFile(join(dir, file), join(target, basename(file)));
  const scores = spec.scores ? JSON.parse(await readFile(join(dir, spec.scores), 'utf8')) : undefined;
  return {
    page: spec.page,
    commands: spec.commands.map((command) => shownCommand(command, spec.id)),
    ran: new Date().toISOString().slice(0, 10),
    family: metrics.family,
    epochs: metrics.epochs,
    trainSamples: metrics.trainingSamples,
    testSamples: metrics.testSamples,
    testLoss: metrics.testLoss,
    // The model's reconstruction term beside the mean's and PCA's on the same test data (metrics.json `baselines`).
    ...(metrics.baselines ? { baselines: metrics.baselines } : {}),
    // What ae train warned of (a model no better than a baseline, too few steps), said beside the figures.
    ...(metrics.warnings?.length ? { warnings: metrics.warnings } : {}),
    backend: metrics.backend,
    ...(scores ? { detection: detectionFigures(scores) } : {}),
    pictures: spec.pictures.map((file) => ({ file: `/images/results/${spec.id}/${basename(file)}`, alt: PICTURE_TEXT[basename(file)] ?? basename(file) })),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { fresh: { type: 'boolean' }, runs: { type: 'string' } } });
  const runsDir = values.runs ?? join(repo, 'runs', 'result-pictures');
  const unknown = positionals.filter((id) => !RUNS.some((r) => r.id === id));
  if (unknown.length > 0) throw new Error(`no run ${unknown.join(', ')}; there are ${RUNS.map((r) => r.id).join(', ')}`);
  const manifest = await readManifest();
  for (const spec of RUNS.filter((r) => positionals.length === 0 || positionals.includes(r.id))) {
    manifest.runs[spec.id] = await makeRun(spec, runsDir, values.fresh);
    await mkdir(dirname(manifestFile), { recursive: true });
    await writeFile(manifestFile, `${JSON.stringify(manifest, null, 2)}\n`);
    console.log(`result-pictures: ${spec.id} -> ${relative(repo, join(docs, 'public', 'images', 'results', spec.id))}`);
  }
}
