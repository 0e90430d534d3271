// Training throughput on the native backend against wasm (one thread, and
// data-parallel on every core) and PyTorch (Debian's, on OpenBLAS: its
// default threads and every core), the configurations taking turns in each
// round, each run its own process (bench/train-js.mjs and
// bench/torch_reference.py at the repository's root):
//
//   node packages/kernels-native/bench/native-vs-wasm.mjs [--families dense,deep,conv,vae] [--samples 8192] [--rounds 3] [--no-torch] [--out FILE]
//
// Prints a Markdown table of median samples/s, the ratios native / best
// wasm and native / best PyTorch measured in the same rounds, peak RSS and
// test loss after the same samples; with --out, also appends it to FILE
// (bench/results.md) as a section naming the command, the date and the load.
import { spawnSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { appendResults } from './results-file.mjs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const { values: args } = parseArgs({
  options: {
    families: { type: 'string', default: 'dense,deep,conv,vae' },
    samples: { type: 'string', default: '8192' },
    rounds: { type: 'string', default: '3' },
    'no-torch': { type: 'boolean', default: false },
    out: { type: 'string' },
  },
});
const loadAtStart = loadavg()[0];
const mnist = (await import('@aekit/data-mnist')).defaultMnistDir();
const threads = cpus().length;
const CONFIGS = [
  { label: 'native', backend: 'native', workers: 1 },
  { label: 'wasm, 1 thread', backend: 'wasm', workers: 1 },
  { label: `wasm, ${threads} threads`, backend: 'wasm', workers: threads },
  ...(args['no-torch']
    ? []
    : [
        { label: 'PyTorch, default threads', torch: [] },
        { label: `PyTorch, ${threads} threads`, torch: ['256', String(threads)] },
      ]),
];

function measure(family, { backend, workers, torch }) {
  const [command, commandArgs] = torch
    ? ['/usr/bin/python3', ['bench/torch_reference.py', family, args.samples, mnist, ...torch]]
    : [process.execPath, ['bench/train-js.mjs', family, backend, args.samples, '256', String(workers)]];
  const result = spawnSync(command, commandArgs, { cwd: root, encoding: 'utf8' });
  const line = result.stdout.trim().split('\n').filter((l) => l.startsWith('{')).pop();
  if (result.status !== 0 || !line) throw new Error(`${family} on ${backend}: ${result.stderr.slice(-1500)}`);
  return JSON.parse(line);
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const lines = [
  `Training samples/s, ${args.samples} MNIST samples a run, batch 256, median of ${args.rounds} rounds in which the configurations took turns; ${threads} cores (${cpus()[0]?.model}).`,
  '',
  `| family | ${CONFIGS.map((c) => c.label).join(' | ')} | native / best wasm | native / best PyTorch | peak RSS native / wasm 1 thread (MB) | test loss native / wasm / PyTorch |`,
  `| --- | ${CONFIGS.map(() => '---:').join(' | ')} | ---: | ---: | ---: | ---: |`,
];
for (const family of args.families.split(',')) {
  const runs = CONFIGS.map(() => []);
  for (let round = 0; round < Number(args.rounds); round++) {
    CONFIGS.forEach((config, i) => {
      console.error(`${family}: ${config.label}, round ${round + 1}`);
      runs[i].push(measure(family, config));
    });
  }
  const speeds = runs.map((r) => r.map((x) => x.samplesPerSecond));
  // Each round's ratio against the best of the others in that round, then the median of those.
  const ratio = (others) => (others.length ? `${median(speeds[0].map((s, round) => s / Math.max(...others.map((o) => speeds[o][round])))).toFixed(2)}x` : '—');
  const [native, wasm, torch] = [runs[0], runs[1], runs[3]];
  lines.push(
    `| ${family} | ${speeds.map((s) => median(s).toFixed(0)).join(' | ')} | ${ratio([1, 2])} | ${ratio(CONFIGS.length > 3 ? [3, 4] : [])} | ${median(native.map((x) => x.peakRssMb)).toFixed(0)} / ${median(wasm.map((x) => x.peakRssMb)).toFixed(0)} | ${[native, wasm, torch].map((r) => (r ? r[0].testLoss.toFixed(4) : '—')).join(' / ')} |`,
  );
  // Each family's row as soon as it is measured (the whole table follows at the end).
  console.error(lines.at(-1));
}
console.log(lines.join('\n'));
if (args.out) appendResults(args.out, 'native-vs-wasm.mjs', loadAtStart, lines);
