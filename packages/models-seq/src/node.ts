/**
 * Node.js-only parts of `@aekit/models-seq`: reading a time series from a
 * CSV file, and MNIST read as sequences of pixel rows.
 *
 * @packageDocumentation
 */
export { readSeriesCsv } from './series/read-csv.js';
export { loadMnistSequences, type MnistSequences } from './sequences/mnist.js';
