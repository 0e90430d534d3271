/**
 * How raw data becomes model input, saved with a model so that evaluation,
 * inference, serving and exported models repeat exactly the transformation
 * training used (so scores never drift between them).
 */

/**
 * Per-feature standardisation of the model input, `(x − mean) / std`,
 * with statistics from the training split. One entry per input feature.
 */
export interface FeatureScaler {
  /** Mean of each input feature over the training rows. */
  mean: number[];
  /** Standard deviation of each input feature over the training rows (1 where it was 0). */
  std: number[];
}

/** One column of a table as the model sees it. */
export type TableColumnEncoding =
  | {
      /** Header name. */
      name: string;
      /** A number, standardised into one input feature. */
      kind: 'numeric';
    }
  | {
      /** Header name. */
      name: string;
      /** A category, one-hot encoded into one input feature per category. */
      kind: 'categorical';
      /** The categories seen in the training rows, in feature order; others encode as all zeros. */
      categories: string[];
    };

/** How the rows of a table were turned into input features. */
export interface TableEncoding {
  /** The feature columns, in input order. */
  columns: TableColumnEncoding[];
  /** The label column kept out of training, if any. */
  label?: string;
  /** The label's distinct values (class `i` is `labelClasses[i]`). */
  labelClasses?: string[];
}

/** What a dataset says about its own encoding; kept in a saved model's metadata. */
export interface DataEncoding {
  /** Standardisation applied to the model input. */
  scaler?: FeatureScaler;
  /** For data read from a table: its columns, categories and label. */
  table?: TableEncoding;
}

/**
 * Standardises values laid out as rows of `scaler.mean.length` features,
 * in place: `(x − mean) / std`.
 *
 * @param values - Rows back to back.
 * @param scaler - Statistics per feature.
 * @returns The same array.
 */
export function standardize(values: Float32Array, scaler: FeatureScaler): Float32Array {
  const n = scaler.mean.length;
  for (let i = 0; i < values.length; i++) values[i] = (values[i] - scaler.mean[i % n]) / scaler.std[i % n];
  return values;
}
