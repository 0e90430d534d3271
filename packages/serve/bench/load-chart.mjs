// The results of bench/load.mjs from its figures: writes results/load.json,
// the markdown table results/load.md and the chart results/load.png
// (requests per second and p99 latency of the server today beside the old
// one, at each number of connections). Run alone, it redraws the table and
// the chart from the committed JSON, without measuring:
//
//   pnpm --filter @aekit/viz build && node packages/serve/bench/load-chart.mjs
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderBars } from '@aekit/viz';

const resultsDir = fileURLToPath(new URL('../results/', import.meta.url));

/** Where the figures were measured, as the markdown and the chart say it. */
function conditions(figures) {
  const { machine, loadAverage } = figures;
  return `${machine.cores} cores (${machine.cpu}), Node ${machine.node}, load average ${loadAverage.before.toFixed(1)} before and ${loadAverage.after.toFixed(1)} after`;
}

/** results/load.md: how the figures were measured, and their table. */
export function loadMarkdown(figures) {
  const { settings, seconds, maxRequests, rounds, rows, residentMegabytes: memory } = figures;
  return [
    '# `ae serve` under load: before and after',
    '',
    `Written by \`${figures.command}\` (after \`pnpm --filter @aekit/serve... build\`) on ${figures.date}.`,
    '',
    `\`POST /v2/models/conv/infer\` with one 28×28×1 image as JSON, to the classic convolutional autoencoder; before: ${figures.before.label}; after: ${figures.after.label}. ` +
      `Both servers with \`--max-batch ${settings.maxBatch} --max-queue ${settings.maxQueue} --max-delay-ms ${settings.maxDelayMs}\`, each in its own process; autocannon in a third, on loopback; ` +
      `each run at most ${seconds} s and ${maxRequests} requests; ${rounds} rounds at each connection count, the servers taking turns (req/s over all rounds, p99 the median of the rounds'). ` +
      `${conditions(figures)}: the machine is shared, so compare the two servers at the same connection count, not with other runs.`,
    '',
    '| connections | server | req/s | p99 ms | requests | non-2xx + errors |',
    '| ---: | --- | ---: | ---: | ---: | ---: |',
    ...rows.map((r) => `| ${r.connections} | ${r.name} | ${Math.round(r.rps)} | ${r.p99} | ${r.requests} | ${r.failed} |`),
    '',
    `Resident memory after the runs: before ${memory.before.toFixed(0)} MB, after ${memory.after.toFixed(0)} MB (the after server's includes its inference and codec threads).`,
    '',
  ].join('\n');
}

/** The chart: requests per second, then p99 latency, a panel per connection count, today's server beside the old one with its ratio to it. */
export function drawLoad(figures) {
  const series = { before: `before: the old server (${figures.before.revision})`, after: `after: @aekit/serve (${figures.after.revision})` };
  const row = (title, value, digits) => ({
    title,
    bars: figures.rows.map((r) => {
      const old = figures.rows.find((o) => o.connections === r.connections && o.name === 'before');
      return {
        group: `${r.connections} connection${r.connections === 1 ? '' : 's'}`,
        series: series[r.name],
        value: value(r),
        ...(r.name === 'after' && old ? { note: `${(value(r) / value(old)).toFixed(digits)}×` } : {}),
      };
    }),
  });
  return renderBars({
    title: 'ae serve under load: before and after',
    subtitle: [
      `POST /v2/models/conv/infer, one 28×28×1 image as JSON, on ${figures.date}`,
      `the servers in turns, ${figures.rounds} rounds; after/before above the after bars`,
      conditions(figures),
    ],
    series: [series.before, series.after],
    rows: [row('requests per second (higher is better)', (r) => r.rps, 2), row('p99 latency, ms (lower is better)', (r) => r.p99, 2)],
  });
}

/** Writes results/load.json, .md and .png from the figures. */
export async function writeLoadResults(figures) {
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(join(resultsDir, 'load.json'), `${JSON.stringify(figures, null, 2)}\n`);
  writeFileSync(join(resultsDir, 'load.md'), loadMarkdown(figures));
  writeFileSync(join(resultsDir, 'load.png'), await drawLoad(figures));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await writeLoadResults(JSON.parse(readFileSync(join(resultsDir, 'load.json'), 'utf8')));
  console.log('load-chart: results/load.md and results/load.png redrawn from results/load.json');
}
