// Training throughput on the native backend against wasm (one thread, and
// data-parallel on every core), the configurations taking turns in each
// round, each run its own process (bench/train-js.mjs at the repository's root):
//
//   node packages/kernels-native/bench/native-vs-wasm.mjs [--families dense,deep,conv,vae] [--samples 8192] [--rounds 3]
//
// Prints a Markdown table of median samples/s, the ratios native / wasm
// measured in the same rounds, peak RSS and test loss.
import { spawnSync } from 'node:child_process';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const { values: args } = parseArgs({
  options: {
    families: { type: 'string', default: 'dense,deep,conv,vae' },
    samples: { type: 'string', default: '8192' },
    rounds: { type: 'string', default: '3' },
  },
});
const threads = cpus().length;
const CONFIGS = [
  { label: 'native', backend: 'native', workers: 1 },
  { label: 'wasm, 1 thread', backend: 'wasm', workers: 1 },
  { label: `wasm, ${threads} threads`, backend: 'wasm', workers: threads },
];

function measure(family, { backend, workers }) {
  const result = spawnSync(process.execPath, ['bench/train-js.mjs', family, backend, args.samples, '256', String(workers)], { cwd: root, encoding: 'utf8' });
  const line = result.stdout.trim().split('\n').filter((l) => l.startsWith('{')).pop();
  if (result.status !== 0 || !line) throw new Error(`${family} on ${backend}: ${result.stderr.slice(-1500)}`);
  return JSON.parse(line);
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const lines = [
  `Training samples/s, ${args.samples} MNIST samples a run, batch 256, median of ${args.rounds} rounds in which the configurations took turns; ${threads} cores (${cpus()[0]?.model}).`,
  '',
  `| family | ${CONFIGS.map((c) => c.label).join(' | ')} | native / best wasm (median of rounds) | peak RSS native / wasm 1 thread (MB) | test loss native / wasm |`,
  `| --- | ${CONFIGS.map(() => '---:').join(' | ')} | ---: | ---: | ---: |`,
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
  const ratios = speeds[0].map((s, round) => s / Math.max(speeds[1][round], speeds[2][round]));
  const [native, wasm] = [runs[0], runs[1]];
  lines.push(
    `| ${family} | ${speeds.map((s) => median(s).toFixed(0)).join(' | ')} | ${median(ratios).toFixed(2)}x | ${median(native.map((x) => x.peakRssMb)).toFixed(0)} / ${median(wasm.map((x) => x.peakRssMb)).toFixed(0)} | ${native[0].testLoss.toFixed(4)} / ${wasm[0].testLoss.toFixed(4)} |`,
  );
}
console.log(lines.join('\n'));
