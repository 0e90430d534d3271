import { writeFileAtomic } from '@aekit/core/node';
import type { TimeSeries } from '@aekit/core';
import { formatTime } from './time-values.js';

/**
 * A series as CSV text: a `time` column where the series has times, one
 * column per channel, and a `label` column of 0/1 where it has labels.
 *
 * @param series - The series.
 */
export function seriesCsv(series: TimeSeries): string {
  const { length, channels, values, names, labels, times, timeKind } = series;
  const header = [...(times ? ['time'] : []), ...names, ...(labels ? ['label'] : [])];
  const lines = [header.join(',')];
  for (let t = 0; t < length; t++) {
    const cells = Array.from(values.subarray(t * channels, (t + 1) * channels), String);
    lines.push([...(times ? [formatTime(times[t], timeKind)] : []), ...cells, ...(labels ? [String(labels[t])] : [])].join(','));
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Writes a series as a CSV file (see {@link seriesCsv}), atomically.
 *
 * @param file - Path of the file.
 * @param series - The series.
 */
export async function writeSeriesCsv(file: string, series: TimeSeries): Promise<void> {
  await writeFileAtomic(file, seriesCsv(series));
}
