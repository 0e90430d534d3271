/**
 * Node.js-only parts of `@aekit/models-seq`: reading a time series from a
 * CSV file.
 *
 * @packageDocumentation
 */
export { readSeriesCsv } from './series/read-csv.js';
