// `pnpm bench`: training throughput of every family on the default backend,
// on cpu where it finishes in reasonable time, and with PyTorch on the same
// machine, side by side, with peak memory and the test loss after the same
// number of samples. Writes bench/results.md. Not part of CI.
//
//   pnpm bench [--samples N] [--families dense,deep,...] [--threads N] [--cpu-families dense,deep,vae] [--cpu-samples N] [--no-torch] [--no-cpu] [--rounds N] [--out FILE]
//
// With --rounds N every measurement of a family is repeated N times, the
// configurations taking turns (tfjs, tfjs on N threads, PyTorch, PyTorch on
// N threads, then again), and each cell is the median round: on a noisy
// machine a ratio measured this way is worth more than one run of each.
//
// tfjs' wasm backend runs on one thread in Node; aekit's trainer can split
// each batch over worker threads (`fit`'s `workers`). Each family is
// measured on one thread and on --threads (all cores by default), and
// PyTorch with its own default thread count and with --threads.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { defaultMnistDir } from '@aekit/data-mnist';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values: args } = parseArgs({
  options: {
    samples: { type: 'string', default: '60000' },
    families: { type: 'string', default: 'dense,deep,conv,lstm,vae' },
    threads: { type: 'string', default: String(cpus().length) },
    'cpu-samples': { type: 'string', default: '4096' },
    // tfjs' cpu backend trains convolutional and recurrent models at a few samples per second.
    'cpu-families': { type: 'string', default: 'dense,deep,vae' },
    'no-torch': { type: 'boolean', default: false },
    'no-cpu': { type: 'boolean', default: false },
    rounds: { type: 'string', default: '1' },
    out: { type: 'string', default: 'bench/results.md' },
  },
});
const samples = Number(args.samples);
const families = args.families.split(',');
const threads = Number(args.threads);
const rounds = Number(args.rounds);
if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`--rounds must be a positive whole number, got ${args.rounds}`);
const PYTHON = '/usr/bin/python3';

/** The benchmark's own set-up: Debian's PyTorch, installed when missing. */
function ensureTorch() {
  if (args['no-torch']) return false;
  const check = () => spawnSync(PYTHON, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;
  if (check()) return true;
  if (process.getuid?.() !== 0) {
    console.error('PyTorch is missing and this is not root: install python3-torch, or run with --no-torch');
    return false;
  }
  console.error('installing python3-torch (Debian) for the reference measurements…');
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
  execFileSync('apt-get', ['install', '-y', '-qq', 'python3-torch'], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  return check();
}

function run(command, commandArgs) {
  const result = spawnSync(command, commandArgs, { cwd: root, encoding: 'utf8', maxBuffer: 1 << 26 });
  const line = result.stdout.trim().split('\n').filter((l) => l.startsWith('{')).pop();
  if (result.status !== 0 || !line) {
    console.error(`failed: ${command} ${commandArgs.join(' ')}\n${result.stderr.slice(-2000)}`);
    return undefined;
  }
  return JSON.parse(line);
}

const torch = ensureTorch();
const mnist = defaultMnistDir();
const rows = [];
/** The run with the median throughput of `runs` (the lower middle one for an even count). */
function median(runs) {
  const done = runs.filter((r) => r !== undefined).sort((a, b) => a.samplesPerSecond - b.samplesPerSecond);
  return done[Math.floor((done.length - 1) / 2)];
}

for (const family of families) {
  const js = (backend, n, workers) => ['bench/train-js.mjs', family, backend, String(n), '256', String(workers)];
  const torchArgs = (count) => ['bench/torch_reference.py', family, String(samples), mnist, ...(count ? ['256', String(count)] : [])];
  const onCpu = !args['no-cpu'] && args['cpu-families'].split(',').includes(family);
  const runs = { wasm: [], wasmThreads: [], reference: [], referenceThreads: [] };
  let cpu;
  for (let round = 1; round <= rounds; round++) {
    const measure = (label, command, commandArgs) => {
      console.error(`${family}: ${label}${rounds > 1 ? `, round ${round} of ${rounds}` : ''}`);
      return run(command, commandArgs);
    };
    runs.wasm.push(measure(`tfjs wasm, 1 thread, ${samples} samples`, process.execPath, js('wasm', samples, 1)));
    if (threads > 1) runs.wasmThreads.push(measure(`tfjs wasm, ${threads} threads, ${samples} samples`, process.execPath, js('wasm', samples, threads)));
    // tfjs' cpu backend is far off the others; once is enough.
    if (onCpu && round === 1) cpu = measure(`tfjs cpu, ${args['cpu-samples']} samples`, process.execPath, js('cpu', args['cpu-samples'], 1));
    if (!torch) continue;
    const reference = measure(`pytorch, default threads, ${samples} samples`, PYTHON, torchArgs());
    runs.reference.push(reference);
    if (threads !== reference?.threads) runs.referenceThreads.push(measure(`pytorch, ${threads} threads, ${samples} samples`, PYTHON, torchArgs(threads)));
  }
  rows.push({ family, runs, wasm: median(runs.wasm), wasmThreads: median(runs.wasmThreads), cpu, reference: median(runs.reference), referenceThreads: median(runs.referenceThreads) });
}

const fmt = (v, digits = 0) => (v === undefined ? '—' : v.toFixed(digits));
const ratio = (a, b) => (a && b ? `${(a.samplesPerSecond / b.samplesPerSecond).toFixed(2)}x` : '—');
const torchThreads = rows.find((r) => r.reference)?.reference.threads;
const lines = [
  `Training throughput, ${samples} MNIST samples per run, batch 256, adam; ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), Node ${process.version}. ` +
    `Measured with \`pnpm bench --samples ${samples}${rounds > 1 ? ` --rounds ${rounds}` : ''}\` on ${new Date().toISOString().slice(0, 10)}, one run at a time on an otherwise idle machine` +
    (rounds > 1 ? `; each cell is the median of ${rounds} rounds in which the configurations took turns. ` : '. ') +
    `PyTorch's own default here is ${torchThreads ?? '?'} thread(s). Higher samples/s is better; a ratio above 1 means tfjs is faster.`,
  '',
  `| family | tfjs wasm, 1 thread | tfjs wasm, ${threads} threads | PyTorch, default | PyTorch, ${threads} threads | tfjs ${threads} threads / PyTorch default | tfjs ${threads} threads / PyTorch ${threads} threads | tfjs cpu | peak RSS tfjs ${threads} threads (MB) | peak RSS PyTorch (MB) | live tensors per epoch | test loss tfjs | test loss PyTorch |`,
  '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: |',
];
for (const { family, wasm, wasmThreads, cpu, reference, referenceThreads } of rows) {
  const best = wasmThreads ?? wasm;
  const torchN = referenceThreads ?? reference;
  lines.push(
    `| ${family} | ${fmt(wasm?.samplesPerSecond)} | ${fmt(wasmThreads?.samplesPerSecond)} | ${fmt(reference?.samplesPerSecond)} | ${fmt(torchN?.samplesPerSecond)} | ${ratio(best, reference)} | ${ratio(best, torchN)} | ${fmt(cpu?.samplesPerSecond)} | ${fmt(best?.peakRssMb)} | ${fmt(reference?.peakRssMb)} | ${best?.tensorsPerEpoch.join(', ') ?? '—'} | ${fmt(best?.testLoss, 4)} | ${fmt(reference?.testLoss, 4)} |`,
  );
}
lines.push('', 'Test loss: binary cross-entropy averaged over pixels (dense, deep, conv), mean squared error (lstm), negative ELBO in nats per image (vae), on the 10,000 test images.');
if (rounds > 1) {
  const names = { wasm: 'tfjs 1 thread', wasmThreads: `tfjs ${threads} threads`, reference: 'PyTorch default', referenceThreads: `PyTorch ${threads} threads` };
  lines.push('', 'Every round, in samples/s:', '');
  for (const { family, runs } of rows) {
    const parts = Object.entries(names)
      .filter(([key]) => runs[key].length > 0)
      .map(([key, name]) => `${name} ${runs[key].map((r) => fmt(r?.samplesPerSecond)).join(', ')}`);
    lines.push(`- ${family}: ${parts.join('; ')}`);
  }
}
const inference = join(root, 'packages/export-onnx/bench/inference.mjs');
if (existsSync(inference)) {
  console.error('inference: tfjs vs onnxruntime');
  const result = spawnSync(process.execPath, [inference], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 26 });
  if (result.status === 0) lines.push('', '## Inference', '', result.stdout.trim());
  else console.error(result.stderr.slice(-2000));
}
const table = lines.join('\n') + '\n';
const out = resolve(root, args.out);
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `# Benchmark results\n\n${table}`);
console.log(table);
