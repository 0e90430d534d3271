// Writes the speed section of the root README and of the docs' backends
// guide from the last `pnpm bench` (bench/results.json), between
// <!-- speed:start --> and <!-- speed:end -->, so that no speed sentence is
// written by hand, and the list of families on which `--backend auto` picks
// the native kernels (packages/kernels-native/src/measured-speed.ts: those
// the run measured faster than wasm):
//   node scripts/speed-summary.mjs          rewrites the sections
//   node scripts/speed-summary.mjs --check  exits 1 when one is stale
// A cli test runs the check.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const START = '<!-- speed:start -->';
const END = '<!-- speed:end -->';

/** Where the section goes, and how each file links to the full results. */
export const SPEED_FILES = [
  { file: 'README.md', results: '[bench/results.md](bench/results.md)' },
  { file: 'apps/docs/guide/backends.md', results: "the repository's `bench/results.md`" },
];

/** How the speed section names each backend. */
const BACKEND_WORDS = { wasm: "on tfjs' wasm backend with aekit's SIMD kernels", native: 'with its native kernels (on the wasm backend)' };

const number = (v) => Math.round(v).toLocaleString('en-US');
const loss = (v) => (v === undefined ? '—' : v.toFixed(4));
const list = (items) => (items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`);

/**
 * The section for `report` (bench/results.json), linking to the full results
 * as `results` says.
 */
export function renderSpeedSection(report, results) {
  const config = (row, key) => row.configurations.find((c) => c.key === key);
  const lines = [
    `<!-- Generated from bench/results.json by \`node scripts/speed-summary.mjs\`; do not edit. Run \`pnpm bench\` to measure again. -->`,
    '',
    `Measured by \`${report.command}\` on ${report.date} (${report.machine.cores} cores, ${report.machine.cpu}, Node ${report.machine.node}${report.machine.load ? `, load average ${report.machine.load.start} at the start and ${report.machine.load.end} at the end` : ''}; ${results} has every configuration${report.rounds > 1 ? ' and round' : ''}): one epoch of ${number(report.samples)} MNIST images, batch ${report.batchSize}, adam; aekit ${list(report.backends.map(({ name, workers }) => `${BACKEND_WORDS[name] ?? `on \`${name}\``} (\`${name}\`, ${list(workers.map(String))} worker thread${workers.length > 1 || workers[0] > 1 ? 's' : ''})`))}, ` +
      (report.pytorch.setup
        ? `PyTorch ${report.pytorch.setup.torch} on ${report.pytorch.setup.blas.name.split(' ').slice(0, 2).join(' ')} at each of its thread settings; each side's fastest setting is compared${report.rounds > 1 ? ` (the median of ${report.rounds} rounds taken in turns)` : ''}. Samples per second, higher is better.`
        : `and no PyTorch: ${report.pytorch.reason}.`),
    '',
  ];
  if (!report.pytorch.setup) return lines.join('\n');
  lines.push(
    '| family | aekit (samples/s) | PyTorch (samples/s) | aekit / PyTorch | test loss aekit | test loss PyTorch |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
  );
  const compared = [];
  for (const row of report.families) {
    const [a, p] = [config(row, row.bestAekit), config(row, row.bestPytorch)];
    if (!a?.median || !p?.median) continue;
    compared.push({ family: row.family, ratio: row.ratio, a, p });
    const threads = (c) => (c.kind === 'pytorch' ? `OpenBLAS ${c.blasThreads}, torch ${c.torchThreads}` : `${report.backends.length > 1 ? `${c.backend}, ` : ''}${c.workers} thread${c.workers > 1 ? 's' : ''}`);
    lines.push(`| ${row.family} | ${number(a.median.samplesPerSecond)} (${threads(a)}) | ${number(p.median.samplesPerSecond)} (${threads(p)}) | ${row.ratio.toFixed(2)}x | ${loss(a.median.testLoss)} | ${loss(p.median.testLoss)} |`);
  }
  const fewer = report.families.filter((row) => row.samples !== undefined && row.samples < report.samples);
  if (fewer.length > 0) lines.push('', `${list(fewer.map((row) => `${row.family} trained on the first ${number(row.samples)} images`))}, on both sides (${results} says why).`);
  const ahead = compared.filter((c) => c.ratio >= 1).map((c) => `${c.family} (${c.ratio.toFixed(2)}x)`);
  const behind = compared.filter((c) => c.ratio < 1).map((c) => `${c.family} (${c.ratio.toFixed(2)}x)`);
  lines.push('');
  const verdict = [];
  if (ahead.length > 0) verdict.push(`aekit was at least as fast as PyTorch on ${list(ahead)}`);
  if (behind.length > 0) verdict.push(`${ahead.length > 0 ? 'and' : 'aekit was'} slower on ${list(behind)}`);
  const lower = compared.filter((c) => c.a.median.testLoss <= c.p.median.testLoss).map((c) => c.family);
  const higher = compared.filter((c) => c.a.median.testLoss > c.p.median.testLoss).map((c) => c.family);
  lines.push(
    `In that run ${verdict.join(' ')}. After the same samples aekit's test loss was ${lower.length > 0 ? `lower or equal on ${list(lower)}` : ''}${lower.length > 0 && higher.length > 0 ? ' and ' : ''}${higher.length > 0 ? `higher on ${list(higher)}` : ''} (each side starts from its own library's default initialisation). Figures on a shared machine move by tens of percent from run to run; ratios measured in one run, in turns, are what the table compares.`,
  );
  for (const row of report.families) {
    for (const variant of row.configurations.filter((c) => c.kind === 'variant' && c.median)) {
      const plain = config(row, variant.key.replace(`/${variant.variant}/`, '/default/'));
      if (!plain?.median) continue;
      lines.push('', `${row.family} on ${variant.workers} thread${variant.workers > 1 ? 's' : ''}: ${(plain.median.samplesPerSecond / variant.median.samplesPerSecond).toFixed(2)}x as fast as with ${variant.variant} (${number(plain.median.samplesPerSecond)} against ${number(variant.median.samplesPerSecond)} samples/s, same run).`);
    }
  }
  return lines.join('\n');
}

/** Where `auto` learns on which families the native kernels were measured faster. */
export const MEASURED_SPEED_FILE = 'packages/kernels-native/src/measured-speed.ts';

/** The families of `report` on which native trained faster than the best wasm configuration of the same run. */
export function nativeFasterFamilies(report) {
  return report.families.filter((row) => row.nativeOverWasm > 1).map((row) => row.family);
}

/** `text` as a single-quoted TypeScript string, the repository's style. */
const quote = (text) => `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/** The source of {@link MEASURED_SPEED_FILE} for `report`. */
export function renderMeasuredSpeed(report) {
  const measured = report.backends.some((b) => b.name === 'native') ? `${report.command} on ${report.date}` : 'not measured';
  return `// Generated from bench/results.json by \`node scripts/speed-summary.mjs\`; do not edit. Run \`pnpm bench\` to measure again.

/**
 * The families on which the last \`pnpm bench\` trained faster with the native
 * kernels than with the best wasm configuration (1 or more worker threads)
 * of the same run, median of its rounds: \`auto\` picks \`native\` for these
 * only. Empty until a bench has measured native.
 */
export const NATIVE_FASTER: { readonly measured: string; readonly families: readonly string[] } = {
  measured: ${quote(measured)},
  families: [${nativeFasterFamilies(report).map(quote).join(', ')}],
};
`;
}

/** `text` with the speed section replaced by `section`; throws when the markers are missing. */
export function withSpeedSection(text, section, file = 'file') {
  const start = text.indexOf(START);
  const end = text.indexOf(END);
  if (start < 0 || end < start) throw new Error(`${file} has no ${START} ... ${END} section`);
  return `${text.slice(0, start + START.length)}\n${section}\n${text.slice(end)}`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const report = JSON.parse(readFileSync(join(root, 'bench/results.json'), 'utf8'));
  const stale = [];
  for (const { file, results } of SPEED_FILES) {
    const path = join(root, file);
    const text = readFileSync(path, 'utf8');
    const next = withSpeedSection(text, renderSpeedSection(report, results), file);
    if (next === text) continue;
    stale.push(file);
    if (!process.argv.includes('--check')) writeFileSync(path, next);
  }
  const measuredPath = join(root, MEASURED_SPEED_FILE);
  const measured = renderMeasuredSpeed(report);
  if (readFileSync(measuredPath, 'utf8') !== measured) {
    stale.push(MEASURED_SPEED_FILE);
    if (!process.argv.includes('--check')) writeFileSync(measuredPath, measured);
  }
  if (process.argv.includes('--check') && stale.length > 0) {
    console.error(`stale speed sections in ${stale.join(', ')}; run node scripts/speed-summary.mjs`);
    process.exit(1);
  }
  for (const file of process.argv.includes('--check') ? [] : stale) console.log(`wrote the speed section of ${file}`);
}
