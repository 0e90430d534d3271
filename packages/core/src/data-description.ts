import type { DataFacts } from './family.js';

/**
 * The ranges a dataset's values can have. `unit-interval`: every value is
 * in [0, 1] (pixels, MNIST), which a sigmoid output with binary
 * cross-entropy reconstructs. `unbounded`: values may lie anywhere
 * (standardised table columns, series), which needs an unbounded output
 * such as a linear layer with mean squared error.
 */
export const VALUE_RANGES = ['unit-interval', 'unbounded'] as const;

/** The range of a dataset's values; see {@link VALUE_RANGES}. */
export type ValueRange = (typeof VALUE_RANGES)[number];

/**
 * What a data reader says about its examples. It describes the data and
 * sets no family's options: a family reads it (`BuildContext.data`) to
 * choose its data-dependent defaults, such as its output layer and loss,
 * and refuses settings that contradict it (`ModelFamily.configFor`).
 */
export interface DataDescription {
  /** The range of the values; see {@link VALUE_RANGES}. */
  readonly values: ValueRange;
}

/**
 * A family's `configFor` that fills in the config values that follow the
 * data (e.g. a code size or a convolution depth for the shape at hand)
 * where the user set none; the values given are kept.
 *
 * @example
 * ```ts
 * import { dataDefaults } from '@aekit/core';
 *
 * // A table (one axis) gets a 4-unit code unless the user chose one.
 * const configFor = dataDefaults((data) => (data.dataShape.length === 1 ? { latentDim: 4 } : undefined));
 * configFor({}, { dataShape: [12], values: 'unbounded' }); // { latentDim: 4 }
 * ```
 * @param defaults - The values for this data, or undefined when the schema's defaults suit it.
 */
export function dataDefaults<T extends object>(defaults: (data: DataFacts) => T | undefined) {
  return (config: Readonly<Record<string, unknown>>, data: DataFacts): Record<string, unknown> => ({ ...defaults(data), ...config });
}

/** The description of images read as pixels in [0, 1], the default of every dataset that gives none. */
export const UNIT_INTERVAL_DATA: DataDescription = { values: 'unit-interval' };

/**
 * A phrase for error messages and logs, e.g. `values in [0, 1]`.
 *
 * @example
 * ```ts
 * import { describeValues } from '@aekit/core';
 *
 * describeValues({ values: 'unit-interval' }); // 'values in [0, 1]'
 * describeValues({ values: 'unbounded' }); // 'unbounded values (e.g. standardised table columns)'
 * ```
 * @param data - The data's description.
 */
export function describeValues(data: DataDescription): string {
  return data.values === 'unit-interval' ? 'values in [0, 1]' : 'unbounded values (e.g. standardised table columns)';
}
