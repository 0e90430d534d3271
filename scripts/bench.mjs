// `pnpm bench`: training throughput of every family with aekit (tfjs' wasm
// backend and aekit's kernels, on 1 and on all cores' worker threads) and
// with PyTorch on the same machine at each of its thread settings, the best
// of each side compared, with peak memory and the test loss after the same
// number of samples. Writes bench/results.md and bench/results.json (from
// which scripts/speed-summary.mjs writes the README's speed section). Not
// part of CI.
//
//   pnpm bench [--samples N] [--lstm-samples N] [--families dense,deep,...] [--threads N] [--backends wasm,native] [--rounds N]
//              [--variant 'family:label:{json config}']... [--no-variants] [--cpu-families dense,deep,vae]
//              [--cpu-samples N] [--no-cpu] [--no-torch] [--no-inference] [--out FILE]
//
// An honest peer: PyTorch as its users run it, on an optimized BLAS.
// Debian's python3-torch calls whatever `libblas.so.3` the system points to;
// on the reference BLAS (netlib) its matrix products are about 6x slower
// than on OpenBLAS, which no real install uses. The bench reads which BLAS
// PyTorch loaded; as root it installs `libopenblas0-pthread` (which becomes
// the `libblas.so.3` alternative) beside python3-torch, otherwise it refuses
// to compare and says why. PyTorch is measured at every thread setting
// (OpenBLAS threads x torch/OpenMP threads, each 1 or --threads), aekit at
// 1 and --threads worker threads on each of --backends (by default wasm, and
// native where it loads, on one worker thread since its kernels use every
// core), and each side's best median is the one compared.
//
// With --rounds N every configuration of a family runs N times, the
// configurations taking turns (in reverse order every other round) and each
// cell is the median round: on a noisy machine a ratio measured this way is
// worth more than one run of each.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { defaultMnistDir } from '@aekit/data-mnist';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values: args } = parseArgs({
  options: {
    samples: { type: 'string', default: '60000' },
    // The lstm family's samples a run (at most --samples): see LSTM_SAMPLES_REASON.
    'lstm-samples': { type: 'string', default: '16384' },
    families: { type: 'string', default: 'dense,deep,conv,lstm,vae' },
    threads: { type: 'string', default: String(cpus().length) },
    backends: { type: 'string', default: 'wasm,native' },
    // The same family with another config, measured beside it (the fused LSTM against tfjs-layers' LSTM).
    variant: { type: 'string', multiple: true, default: ['lstm:tfjs-layers LSTM:{"fused":false}'] },
    'no-variants': { type: 'boolean', default: false },
    'cpu-samples': { type: 'string', default: '4096' },
    // tfjs' cpu backend trains convolutional and recurrent models at a few samples per second.
    'cpu-families': { type: 'string', default: 'dense,deep,vae' },
    'no-torch': { type: 'boolean', default: false },
    'no-cpu': { type: 'boolean', default: false },
    'no-inference': { type: 'boolean', default: false },
    rounds: { type: 'string', default: '1' },
    out: { type: 'string', default: 'bench/results.md' },
  },
});
const samples = Number(args.samples);
const lstmSamples = Math.min(samples, Number(args['lstm-samples']));
/** Why the lstm family trains on fewer samples than the others, printed in results.md. */
const LSTM_SAMPLES_REASON =
  "its 28 sequential steps a sample make it the slowest family on both sides, and a full epoch of its ten configurations (tfjs-layers' LSTM measured beside the fused one) would take most of a 3-round bench; both sides train on the same samples, so speeds and test losses still compare";
/** Samples a run of `family` trains on. */
const familySamples = (family) => (family === 'lstm' ? lstmSamples : samples);
const families = args.families.split(',');
const threads = Number(args.threads);
const rounds = Number(args.rounds);
const PYTHON = '/usr/bin/python3';
const threadCounts = [...new Set([1, threads])];

/** Whether aekit starts on `backend` here (native needs its prebuilt binary to load), asked of a child process. */
function backendStarts(backend) {
  const probe = `const core = await import('@aekit/core'); await import('@aekit/cli'); (await import('@aekit/kernels-wasm')).registerWasmKernels(); await core.useBackend(${JSON.stringify(backend)}); console.log('started');`;
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', probe], { cwd: root, encoding: 'utf8' });
  if (result.stdout.includes('started')) return true;
  console.error(`backend ${backend}: not measured, it does not start here (${result.stderr.trim().split('\n').filter((l) => /Error/.test(l)).pop() ?? 'no reason given'})`);
  return false;
}

const backends = args.backends.split(',').filter(backendStarts);
if (backends.length === 0) throw new Error(`none of the backends ${args.backends} starts here`);
/** Worker threads measured on `backend`: native kernels already use every core, so one. */
const workerCounts = (backend) => (backend === 'native' ? [1] : threadCounts);
if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`--rounds must be a positive whole number, got ${args.rounds}`);
if (!Number.isInteger(lstmSamples) || lstmSamples < 1) throw new Error(`--lstm-samples must be a positive whole number, got ${args['lstm-samples']}`);
if (!Number.isInteger(threads) || threads < 1) throw new Error(`--threads must be a positive whole number, got ${args.threads}`);
const variants = (args['no-variants'] ? [] : args.variant).map((spec) => {
  const [family, label, ...json] = spec.split(':');
  if (!family || !label || json.length === 0) throw new Error(`--variant takes family:label:{json config}, got ${spec}`);
  return { family, label, config: JSON.parse(json.join(':')) };
});
// ---- PyTorch and its BLAS -------------------------------------------------

function pytorchSetup() {
  const result = spawnSync(PYTHON, ['bench/torch_reference.py', '--probe'], { cwd: root, encoding: 'utf8' });
  return result.status === 0 ? JSON.parse(result.stdout.trim().split('\n').pop()) : undefined;
}

/** An optimized BLAS: OpenBLAS, MKL or BLIS, not the reference (netlib) library. */
function optimizedBlas(blas) {
  return /openblas|mkl|blis/i.test(`${blas?.name} ${blas?.library}`) && !/\/blas\/libblas/.test(blas?.library ?? '');
}

function aptInstall(packages) {
  console.error(`installing ${packages.join(' ')} (Debian) for the PyTorch measurements…`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', ...packages], { stdio: 'inherit', env });
}

/**
 * PyTorch on an optimized BLAS: `{ setup }` (its probe: version, threads,
 * BLAS) when it can be compared, else `{ reason }` why not.
 */
function preparePytorch() {
  if (args['no-torch']) return { reason: 'not measured (--no-torch)' };
  const isRoot = process.getuid?.() === 0;
  let setup = pytorchSetup();
  if (!setup) {
    if (!isRoot) return { reason: `PyTorch is not installed and this is not root: apt-get install python3-torch libopenblas0-pthread, then run pnpm bench again` };
    aptInstall(['python3-torch', 'libopenblas0-pthread']);
    setup = pytorchSetup();
    if (!setup) return { reason: 'PyTorch did not import after installing python3-torch' };
  }
  if (!optimizedBlas(setup.blas)) {
    const what = `PyTorch's matrix products run on ${setup.blas?.name ?? 'an unknown BLAS'} (${setup.blas?.library ?? 'no BLAS library loaded'}), about 6x slower than the OpenBLAS or MKL real installs use`;
    if (!isRoot) return { reason: `${what}; not compared. As root: apt-get install libopenblas0-pthread (it becomes the libblas.so.3 alternative), then run pnpm bench again`, setup };
    aptInstall(['libopenblas0-pthread']);
    // Installed but not chosen (the alternative set by hand): back to the best one, OpenBLAS.
    const triplet = setup.blas?.library ? basename(dirname(dirname(setup.blas.library))) : undefined;
    if (triplet) spawnSync('update-alternatives', ['--auto', `libblas.so.3-${triplet}`], { stdio: 'inherit' });
    setup = pytorchSetup();
    if (!optimizedBlas(setup?.blas)) return { reason: `${what}, even after installing libopenblas0-pthread; not compared`, setup };
  }
  return { setup };
}

// ---- one measurement a process ----------------------------------------------

/** The 1-minute load average, rounded: the machine is shared, and every figure is recorded beside it. */
const load = () => Math.round(loadavg()[0] * 10) / 10;

function run(command, commandArgs, env = {}) {
  const loadBefore = load();
  const result = spawnSync(command, commandArgs, { cwd: root, encoding: 'utf8', maxBuffer: 1 << 26, env: { ...process.env, ...env } });
  const line = result.stdout.trim().split('\n').filter((l) => l.startsWith('{')).pop();
  if (result.status !== 0 || !line) {
    console.error(`failed: ${command} ${commandArgs.join(' ')}\n${result.stderr.slice(-2000)}`);
    return undefined;
  }
  return { ...JSON.parse(line), load: [loadBefore, load()] };
}

/** The configurations measured for `family`: aekit's, tfjs' cpu backend, PyTorch's thread settings. */
function configurations(family, mnist, torch) {
  const samples = familySamples(family);
  const js = (backend, n, workers, config) => ['bench/train-js.mjs', family, backend, String(n), '256', String(workers), ...(config ? [JSON.stringify(config)] : [])];
  const list = [];
  const familyVariants = [{ label: undefined, config: undefined }, ...variants.filter((v) => v.family === family)];
  for (const backend of backends) {
    for (const variant of familyVariants) {
      for (const workers of workerCounts(backend)) {
        const name = `aekit ${backend}${variant.label ? ` (${variant.label})` : ''}, ${workers} thread${workers > 1 ? 's' : ''}`;
        list.push({ key: `${backend}/${variant.label ?? 'default'}/${workers}`, label: name, kind: variant.label ? 'variant' : 'aekit', backend, workers, variant: variant.label, command: [process.execPath, js(backend, samples, workers, variant.config)] });
      }
    }
  }
  if (!args['no-cpu'] && args['cpu-families'].split(',').includes(family)) {
    list.push({ key: 'cpu', label: `tfjs cpu, 1 thread, ${args['cpu-samples']} samples`, kind: 'cpu', once: true, command: [process.execPath, js('cpu', args['cpu-samples'], 1)] });
  }
  if (torch) {
    for (const blasThreads of threadCounts) {
      for (const torchThreads of threadCounts) {
        list.push({
          key: `pytorch/${blasThreads}/${torchThreads}`,
          label: `PyTorch, OpenBLAS ${blasThreads} / torch ${torchThreads} thread${torchThreads > 1 ? 's' : ''}`,
          kind: 'pytorch',
          blasThreads,
          torchThreads,
          command: [PYTHON, ['bench/torch_reference.py', family, String(samples), mnist, '256', String(torchThreads)]],
          env: { OPENBLAS_NUM_THREADS: String(blasThreads), OMP_NUM_THREADS: String(torchThreads) },
        });
      }
    }
  }
  return list;
}

/** The run with the median throughput of `runs` (the lower middle one for an even count). */
function median(runs) {
  const done = runs.filter((r) => r !== undefined).sort((a, b) => a.samplesPerSecond - b.samplesPerSecond);
  return done[Math.floor((done.length - 1) / 2)];
}

/** The configuration of `kind` whose median is fastest. */
function best(measured, kind) {
  return measured.filter((c) => c.kind === kind && c.median).sort((a, b) => b.median.samplesPerSecond - a.median.samplesPerSecond)[0];
}

// ---- the runs ---------------------------------------------------------------

const pytorch = preparePytorch();
if (pytorch.reason) console.error(`PyTorch: ${pytorch.reason}`);
const mnist = defaultMnistDir();
const results = [];
const loadAtStart = load();
for (const family of families) {
  const measured = configurations(family, mnist, Boolean(pytorch.setup)).map((c) => ({ ...c, runs: [] }));
  for (let round = 1; round <= rounds; round++) {
    const order = round % 2 === 0 ? [...measured].reverse() : measured;
    for (const config of order) {
      if (config.once && config.runs.length > 0) continue;
      console.error(`${family}: ${config.label}${rounds > 1 ? `, round ${round} of ${rounds}` : ''}`);
      config.runs.push(run(config.command[0], config.command[1], config.env));
    }
  }
  for (const config of measured) config.median = median(config.runs);
  const aekit = best(measured, 'aekit');
  const peer = best(measured, 'pytorch');
  const [nativeRun, wasmRun] = [best(measured.filter((c) => c.backend === 'native'), 'aekit'), best(measured.filter((c) => c.backend === 'wasm'), 'aekit')];
  results.push({
    family,
    samples: familySamples(family),
    // The native kernels against the best wasm configuration of the same run (what `auto` follows).
    nativeOverWasm: nativeRun && wasmRun ? nativeRun.median.samplesPerSecond / wasmRun.median.samplesPerSecond : undefined,
    configurations: measured.map(({ command, env, once, ...rest }) => rest),
    bestAekit: aekit?.key,
    bestPytorch: peer?.key,
    ratio: aekit && peer ? aekit.median.samplesPerSecond / peer.median.samplesPerSecond : undefined,
  });
}

// ---- the results files --------------------------------------------------------

const command = `pnpm bench${samples !== 60000 ? ` --samples ${samples}` : ''}${args['lstm-samples'] !== '16384' ? ` --lstm-samples ${args['lstm-samples']}` : ''}${args.families !== 'dense,deep,conv,lstm,vae' ? ` --families ${args.families}` : ''}${rounds > 1 ? ` --rounds ${rounds}` : ''}${args.backends !== 'wasm,native' ? ` --backends ${args.backends}` : ''}${['no-cpu', 'no-torch', 'no-variants', 'no-inference'].filter((flag) => args[flag]).map((flag) => ` --${flag}`).join('')}`;
const report = {
  date: new Date().toISOString().slice(0, 10),
  command,
  machine: { cores: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', node: process.version, load: { start: loadAtStart, end: load() } },
  samples,
  batchSize: 256,
  rounds,
  threads,
  backends: backends.map((name) => ({ name, workers: workerCounts(name) })),
  pytorch,
  families: results,
};

const fmt = (v, digits = 0) => (v === undefined || v === null ? '—' : Number(v).toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }));
const byKey = (row, key) => row.configurations.find((c) => c.key === key);
const lines = [
  `Training throughput, ${fmt(samples)} MNIST samples per run (one epoch), batch 256, adam; ${report.machine.cores} cores (${report.machine.cpu}), Node ${report.machine.node}. ` +
    `Measured with \`${command}\` on ${report.date}` +
    (rounds > 1 ? `; each figure is the median of ${rounds} rounds in which the configurations took turns.` : ', one run of each configuration, one at a time.') +
    (families.includes('lstm') && lstmSamples < samples ? ` The lstm family trains on the first ${fmt(lstmSamples)} images (\`--lstm-samples\`): ${LSTM_SAMPLES_REASON}.` : '') +
    ` Higher samples/s is better; a ratio above 1 means aekit is faster. Load average (1 minute) ${report.machine.load.start} at the start and ${report.machine.load.end} at the end; each run's is in the last table: a machine shared with other work slows every figure, so compare ratios of one run.`,
  '',
  '## PyTorch set-up',
  '',
];
if (pytorch.setup) {
  const { setup } = pytorch;
  lines.push(
    `PyTorch ${setup.torch} (Debian's \`python3-torch\`, built against the \`libblas.so.3\` interface: \`BLAS_INFO=${setup.buildBlas}\`), its matrix products on **${setup.blas.name}** (\`${setup.blas.library}\`, the system's \`libblas.so.3\` alternative), convolutions through oneDNN (${setup.mkldnn ? 'available' : 'not available'}). ` +
      `Its own defaults here: ${setup.threads} torch (OpenMP) thread(s), ${setup.blas.threads ?? '?'} OpenBLAS thread(s). Each family ran at every setting of \`OPENBLAS_NUM_THREADS\` and torch's threads (\`torch.set_num_threads\`, \`OMP_NUM_THREADS\`) in {${threadCounts.join(', ')}}, and the fastest is the peer.`,
  );
} else {
  lines.push(`PyTorch was not compared: ${pytorch.reason}.`);
}
lines.push(
  '',
  '## Results',
  '',
  '| family | aekit, best | samples/s | PyTorch, best | samples/s | aekit / PyTorch | test loss aekit | test loss PyTorch | peak RSS aekit (MB) | peak RSS PyTorch (MB) |',
  '| --- | --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |',
);
for (const row of results) {
  const [a, p] = [byKey(row, row.bestAekit), byKey(row, row.bestPytorch)];
  lines.push(
    `| ${row.family} | ${a?.label ?? '—'} | ${fmt(a?.median?.samplesPerSecond)} | ${p?.label ?? '—'} | ${fmt(p?.median?.samplesPerSecond)} | ${row.ratio ? `${row.ratio.toFixed(2)}x` : '—'} | ${fmt(a?.median?.testLoss, 4)} | ${fmt(p?.median?.testLoss, 4)} | ${fmt(a?.median?.peakRssMb)} | ${fmt(p?.median?.peakRssMb)} |`,
  );
}
lines.push(
  '',
  'Test loss after the same samples, on the 10,000 test images: binary cross-entropy averaged over pixels (dense, deep, conv), mean squared error (lstm), negative ELBO in nats per image (vae). The two sides start from their own libraries\' default initialisations, so equal losses mean equal learning, not equal arithmetic.',
  '',
);
if (backends.includes('native')) {
  lines.push(
    '',
    '## native against wasm',
    '',
    "The native kernels (one worker thread; they use every core) against aekit's best wasm configuration, same run. `--backend auto` picks native only for the families where this ratio is above 1 (`node scripts/speed-summary.mjs` copies them into `packages/kernels-native/src/measured-speed.ts`).",
    '',
    '| family | native (samples/s) | best wasm (samples/s) | native / wasm | auto picks |',
    '| --- | ---: | ---: | ---: | --- |',
  );
  for (const row of results) {
    const [n, w] = [best(row.configurations.filter((c) => c.backend === 'native'), 'aekit'), best(row.configurations.filter((c) => c.backend === 'wasm'), 'aekit')];
    lines.push(`| ${row.family} | ${fmt(n?.median?.samplesPerSecond)} | ${fmt(w?.median?.samplesPerSecond)} (${w?.workers ?? '?'} thread${w?.workers > 1 ? 's' : ''}) | ${row.nativeOverWasm ? `${row.nativeOverWasm.toFixed(2)}x` : '—'} | ${row.nativeOverWasm > 1 ? 'native' : 'wasm'} |`);
  }
}
lines.push(
  '',
  '## Every configuration',
  '',
  '| family | configuration | samples/s (median) | every round | load average at start of each round | test loss | peak RSS (MB) | live tensors per epoch |',
  '| --- | --- | ---: | --- | --- | ---: | ---: | --- |',
);
for (const row of results) {
  for (const c of row.configurations) {
    lines.push(`| ${row.family} | ${c.label} | ${fmt(c.median?.samplesPerSecond)} | ${c.runs.map((r) => fmt(r?.samplesPerSecond)).join(', ')} | ${c.runs.map((r) => r?.load?.[0] ?? '—').join(', ')} | ${fmt(c.median?.testLoss, 4)} | ${fmt(c.median?.peakRssMb)} | ${c.median?.tensorsPerEpoch?.join(', ') ?? ''} |`);
  }
}
for (const variant of variants) {
  const row = results.find((r) => r.family === variant.family);
  if (!row) continue;
  const pairs = row.configurations.filter((c) => c.variant === variant.label).map((v) => [v, byKey(row, v.key.replace(`/${variant.label}/`, '/default/'))]);
  const ratios = pairs.filter(([v, d]) => v.median && d?.median).map(([v, d]) => `${(d.median.samplesPerSecond / v.median.samplesPerSecond).toFixed(2)}x on ${v.workers} thread${v.workers > 1 ? 's' : ''}`);
  if (ratios.length > 0) lines.push('', `${row.family}: the default against ${variant.label} (${JSON.stringify(variant.config)}), in the same run: ${ratios.join(', ')}.`);
}
const inference = join(root, 'packages/export-onnx/bench/inference.mjs');
if (!args['no-inference'] && existsSync(inference) && families.includes('conv')) {
  console.error('inference: tfjs vs onnxruntime');
  const result = spawnSync(process.execPath, [inference], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 26 });
  if (result.status === 0) lines.push('', '## Inference', '', result.stdout.trim());
  else console.error(result.stderr.slice(-2000));
}
const out = resolve(root, args.out);
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `# Benchmark results\n\n${lines.join('\n')}\n`);
writeFileSync(out.replace(/\.md$/, '.json'), `${JSON.stringify(report, null, 2)}\n`);
console.log(lines.join('\n'));
