// The results of bench/inference.mjs from its figures: writes
// results/inference.json, the markdown table results/inference.md and the
// chart results/inference.png (throughput of onnxruntime beside tfjs', the
// speed-up over tfjs on each bar). Run alone, it redraws the table and the
// chart from the committed JSON, without measuring:
//
//   pnpm --filter @aekit/viz build && node packages/export-onnx/bench/inference-chart.mjs
import { readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderBars } from '@aekit/viz';

const resultsDir = fileURLToPath(new URL('../results/', import.meta.url));
const fmt = (n) => Math.round(n).toLocaleString('en-US');

/** The runtimes, in the order of the table's columns and the chart's bars; tfjs, the baseline, first. */
const RUNTIMES = [
  { key: 'tfjs', name: 'tfjs wasm' },
  { key: 'onnxSingle', name: 'onnxruntime, 1 thread' },
  { key: 'onnxPool', name: 'onnxruntime, all cores' },
];

/** How and where the figures were measured, in three parts (the chart gives each a line). */
function conditions(figures) {
  const { machine, loadAverage, rounds, seconds } = figures;
  return [
    `${machine.cores} cores, ${machine.cpu}; Node ${machine.node}`,
    `median of ${rounds} rounds of ~${seconds} s; onnxruntime without spin-waiting`,
    `load average ${loadAverage.before.toFixed(1)} before, ${loadAverage.after.toFixed(1)} after`,
  ];
}

/** The markdown table of the figures, with the line of conditions above it. */
export function inferenceTable(figures) {
  const lines = [
    `Inference throughput, images/s (${conditions(figures).join('; ')})`,
    '',
    '| model | batch | tfjs wasm | onnxruntime, 1 thread | onnxruntime, all cores | speed-up, wall clock (best) | speed-up, CPU time (1 thread each) |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const { model, batch, imagesPerSecond: ips, cpuImagesPerSecond: cpu } of figures.rows) {
    const wall = Math.max(ips.onnxSingle, ips.onnxPool) / ips.tfjs;
    lines.push(`| ${model} | ${batch} | ${fmt(ips.tfjs)} | ${fmt(ips.onnxSingle)} | ${fmt(ips.onnxPool)} | ${wall.toFixed(1)}× | ${(cpu.onnxSingle / cpu.tfjs).toFixed(1)}× |`);
  }
  return `${lines.join('\n')}\n`;
}

/** The chart: a row of panels per model, a panel per batch size, onnxruntime's bars beside tfjs' with their speed-up over it. */
export function drawInference(figures) {
  const models = [...new Set(figures.rows.map((r) => r.model))];
  return renderBars({
    title: 'Inference speed: onnxruntime beside tfjs (wasm) in Node',
    subtitle: [`on ${figures.date}; the speed-up over tfjs above each bar`, ...conditions(figures)],
    series: RUNTIMES.map((r) => r.name),
    rows: models.map((model) => ({
      title: `${model} autoencoder: images per second (higher is better)`,
      bars: figures.rows
        .filter((r) => r.model === model)
        .flatMap(({ batch, imagesPerSecond: ips }) =>
          RUNTIMES.map(({ key, name }) => ({
            group: `batch ${batch}`,
            series: name,
            value: ips[key],
            ...(key === 'tfjs' ? {} : { note: `${(ips[key] / ips.tfjs).toFixed(1)}×` }),
          })),
        ),
    })),
  });
}

/** results/inference.md: the command that measured the figures, and their table. */
export function inferenceMarkdown(figures) {
  const written = `Written by \`${figures.command}\` (after \`pnpm --filter @aekit/export-onnx... build\`) on ${figures.date}.`;
  return `# Inference speed: tfjs against onnxruntime\n\n${written}\n\n${inferenceTable(figures)}`;
}

/** Writes results/inference.json, .md and .png from the figures. */
export async function writeInferenceResults(figures) {
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(join(resultsDir, 'inference.json'), `${JSON.stringify(figures, null, 2)}\n`);
  writeFileSync(join(resultsDir, 'inference.md'), inferenceMarkdown(figures));
  writeFileSync(join(resultsDir, 'inference.png'), await drawInference(figures));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await writeInferenceResults(JSON.parse(readFileSync(join(resultsDir, 'inference.json'), 'utf8')));
  console.log(`inference-chart: results/inference.md and results/inference.png redrawn from results/inference.json`);
}
