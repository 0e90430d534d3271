// Appends one measurement to the package's results file (bench/results.md):
// a section naming the exact command, the date and the load average it ran
// under, then the table the bench script printed. The file keeps every
// measurement; the newest is at the bottom.
import { appendFileSync } from 'node:fs';
import { loadavg } from 'node:os';

/**
 * @param {string} file - The results file.
 * @param {string} script - The bench script's file name (under packages/kernels-native/bench/).
 * @param {number} loadAtStart - The one-minute load average when the measurement began.
 * @param {string[]} lines - The Markdown the script printed.
 */
export function appendResults(file, script, loadAtStart, lines) {
  const args = process.argv.slice(2).filter((a, i, all) => a !== '--out' && all[i - 1] !== '--out');
  const env = process.env.AEKIT_NATIVE_THREADS ? `AEKIT_NATIVE_THREADS=${process.env.AEKIT_NATIVE_THREADS} ` : '';
  const now = new Date().toISOString().replace('T', ' ').slice(0, 16);
  const section = [
    '',
    `## \`${env}node packages/kernels-native/bench/${script} ${args.join(' ')}\``,
    '',
    `${now} UTC; load average ${loadAtStart.toFixed(1)} at the start, ${loadavg()[0].toFixed(1)} at the end (2 cores, shared).`,
    '',
    ...lines,
    '',
  ];
  appendFileSync(file, section.join('\n'));
}
