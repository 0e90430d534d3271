import { readFile } from 'node:fs/promises';
import { DataFileError } from '@aekit/core';
import { parseSeriesCsv } from './csv.js';
import type { TimeSeries } from './time-series.js';

/**
 * Reads a time series from a CSV file (Node only); see {@link parseSeriesCsv}
 * for the format.
 *
 * @param file - Path of the CSV file.
 * @throws DataFileError naming the file (and the line, for a malformed one).
 */
export async function readSeriesCsv(file: string): Promise<TimeSeries> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new DataFileError(file, code === 'ENOENT' ? 'no such file' : `cannot be read (${code ?? (error as Error).message})`);
  }
  return parseSeriesCsv(text, file);
}
