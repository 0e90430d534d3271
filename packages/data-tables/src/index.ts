/**
 * Tables for aekit: CSV, TSV and JSON-lines files streamed into
 * standardised, one-hot encoded float features with an optional label
 * column, and the encoding (columns, categories, scaler) that goes with a
 * trained model so evaluation, scoring, inference and export apply it again.
 *
 * @packageDocumentation
 */
export { openTable, tableFormat, TABLE_FILE_PATTERN, type RawRecord, type ReadRecordsOptions, type TableFormat, type UnreadableRecord } from './records.js';
export { readTable, MAX_CATEGORIES, TEST_FRACTION, type ReadTableOptions, type ReadTableResult, type TableProgress, type TableSplit } from './read-table.js';
export { loadTableDataset, type TableLoadOptions } from './table-dataset.js';
export { columnErrors, decodeRow, encodeRow, featureCount, featureNames, featuresOf, parseNumber } from './feature-layout.js';
export { RunningStats } from './running-stats.js';
