/**
 * Tables for aekit: CSV (any delimiter), TSV, JSON lines, JSON and Parquet
 * files streamed into standardised, one-hot encoded float features with an
 * optional label column, as users have them (empty cells, dates, ID
 * columns), and the preprocessing (columns, categories, fill values,
 * scaler) that goes with a trained model so evaluation, scoring,
 * inference, serving and export apply it again. Importing the package
 * registers its reader of table preprocessing with core.
 *
 * @packageDocumentation
 */
import { preprocessors } from '@aekit/core';
import { tableReader } from './table-reader.js';

export { openTable, detectDelimiter, tableFormat, DELIMITERS, TABLE_FILE_PATTERN, type OpenedTable, type RawRecord, type ReadRecordsOptions, type RowUnit, type TableFormat, type UnreadableRecord } from './records.js';
export { readTable, MAX_CATEGORIES, TEST_FRACTION, type ReadTableOptions, type ReadTableResult, type RowFilter, type TableProgress, type TableSplit } from './read-table.js';
export { loadTableDataset, tableNotes, type TableLoadOptions } from './table-dataset.js';
export { columnErrors, dateFeatures, decodeRow, encodeRow, featureCount, featureNames, featuresOf, type RowProblem } from './feature-layout.js';
export { categoryOf, FLOAT32_MAX, isMissing, parseDate, parseNumber, type CellValue } from './cell-values.js';
export { ColumnSurvey, decideColumns, type ColumnChoice, type DecidedColumns } from './column-survey.js';
export { RunningStats } from './running-stats.js';
export { rowsById } from './rows-by-id.js';
export { tableReader } from './table-reader.js';

preprocessors.register(tableReader);
