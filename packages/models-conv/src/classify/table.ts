import type { ClassifyRow } from './experiment.js';

/**
 * The accuracy table as Markdown lines, ready for a terminal or a README:
 *
 * ```
 * | classifier input | trained on | test accuracy |
 * | --- | --- | ---: |
 * | clean images | clean images | 98.9% |
 * ```
 *
 * @param rows - The experiment's rows.
 */
export function formatAccuracyTable(rows: readonly ClassifyRow[]): string[] {
  return [
    '| classifier input | trained on | test accuracy |',
    '| --- | --- | ---: |',
    ...rows.map((row) => `| ${row.input} | ${row.trainedOn} | ${(row.accuracy * 100).toFixed(1)}% |`),
  ];
}
