// `pnpm bench`: training throughput of every family on the default backend,
// on cpu where it finishes in reasonable time, and with PyTorch on the same
// machine, side by side, with peak memory and the test loss after the same
// number of samples. Writes bench/results.md. Not part of CI.
//
//   pnpm bench [--samples N] [--families dense,deep,...] [--cpu-families dense,deep,vae] [--cpu-samples N] [--no-torch] [--no-cpu]
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { defaultMnistDir } from '@aekit/data-mnist';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values: args } = parseArgs({
  options: {
    samples: { type: 'string', default: '60000' },
    families: { type: 'string', default: 'dense,deep,conv,lstm,vae' },
    'cpu-samples': { type: 'string', default: '4096' },
    // tfjs' cpu backend trains convolutional and recurrent models at a few samples per second.
    'cpu-families': { type: 'string', default: 'dense,deep,vae' },
    'no-torch': { type: 'boolean', default: false },
    'no-cpu': { type: 'boolean', default: false },
  },
});
const samples = Number(args.samples);
const families = args.families.split(',');
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
const rows = [];
for (const family of families) {
  console.error(`${family}: tfjs wasm, ${samples} samples`);
  const wasm = run(process.execPath, ['bench/train-js.mjs', family, 'wasm', String(samples)]);
  const onCpu = !args['no-cpu'] && args['cpu-families'].split(',').includes(family);
  const cpu = onCpu ? (console.error(`${family}: tfjs cpu, ${args['cpu-samples']} samples`), run(process.execPath, ['bench/train-js.mjs', family, 'cpu', args['cpu-samples']])) : undefined;
  const reference = torch ? (console.error(`${family}: pytorch, ${samples} samples`), run(PYTHON, ['bench/torch_reference.py', family, String(samples), defaultMnistDir()])) : undefined;
  rows.push({ family, wasm, cpu, reference });
}

const fmt = (v, digits = 0) => (v === undefined ? '—' : v.toFixed(digits));
const lines = [
  `Training throughput, ${samples} MNIST samples per run, batch 256, adam; ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), Node ${process.version}. Measured with \`pnpm bench --samples ${samples}\` on ${new Date().toISOString().slice(0, 10)}.`,
  '',
  '| family | tfjs wasm samples/s | PyTorch samples/s | wasm / PyTorch | tfjs cpu samples/s | peak RSS wasm (MB) | peak RSS PyTorch (MB) | live tensors per epoch | test loss wasm | test loss PyTorch |',
  '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
];
for (const { family, wasm, cpu, reference } of rows) {
  const ratio = wasm && reference ? `${(wasm.samplesPerSecond / reference.samplesPerSecond).toFixed(2)}x` : '—';
  lines.push(
    `| ${family} | ${fmt(wasm?.samplesPerSecond)} | ${fmt(reference?.samplesPerSecond)} | ${ratio} | ${fmt(cpu?.samplesPerSecond)} | ${fmt(wasm?.peakRssMb)} | ${fmt(reference?.peakRssMb)} | ${wasm?.tensorsPerEpoch.join(', ') ?? '—'} | ${fmt(wasm?.testLoss, 4)} | ${fmt(reference?.testLoss, 4)} |`,
  );
}
lines.push('', 'Test loss: binary cross-entropy averaged over pixels (dense, deep, conv), mean squared error (lstm), negative ELBO in nats per image (vae), on the 10,000 test images.');
const inference = join(root, 'packages/export-onnx/bench/inference.mjs');
if (existsSync(inference)) {
  console.error('inference: tfjs vs onnxruntime');
  const result = spawnSync(process.execPath, [inference], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 26 });
  if (result.status === 0) lines.push('', '## Inference', '', result.stdout.trim());
  else console.error(result.stderr.slice(-2000));
}
const table = lines.join('\n') + '\n';
mkdirSync(join(root, 'bench'), { recursive: true });
writeFileSync(join(root, 'bench/results.md'), `# Benchmark results\n\n${table}`);
console.log(table);
