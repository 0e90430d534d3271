/**
 * One model's preprocessing: everything that turns a raw item (an image
 * file, a table row, a stretch of a series) into the model's input, as one
 * serialisable, versioned description. `ae train` fits it on the training
 * data and saves it in the model's metadata; evaluation, scoring,
 * inference, serving and the ONNX export read it back and apply it through
 * the one reader registered for its kind (see `preprocessing-readers.ts`),
 * so a raw item gets the same input, and the same score, on every path.
 *
 * Core knows the shape of each kind (plain data, checked with zod) but no
 * data package: the packages that read images and tables register how to
 * apply their kind.
 */
import { z } from 'zod';
import { parseConfig } from './config.js';

/** The version every kind's description carries; a reader refuses versions it does not know. */
export const PREPROCESSING_VERSION = 1;

const name = z.string().min(1);

/** Standardisation of each input feature, `(x − mean) / std`, with statistics of the training rows. */
export const featureScalerSchema = z
  .object({
    /** Mean of each input feature over the training rows. */
    mean: z.array(z.number().finite()),
    /** Standard deviation of each input feature over the training rows (1 where it was 0). */
    std: z.array(z.number().finite().positive()),
  })
  .strict()
  .refine((s) => s.mean.length === s.std.length, { message: 'mean and std must have one value per feature' });

/** Per-feature standardisation, `(x − mean) / std`, with statistics of the training rows; checked by {@link featureScalerSchema}. */
export interface FeatureScaler {
  /** Mean of each input feature over the training rows. */
  mean: number[];
  /** Standard deviation of each input feature over the training rows (1 where it was 0). */
  std: number[];
}

/** How sharp brings an image of another size to the model's: stretched (`fill`, as Keras and torchvision), cropped (`cover`) or letter-boxed on the background (`contain`). */
export const IMAGE_FITS = ['fill', 'cover', 'contain'] as const;
/** Resampling kernels of the resize. */
export const IMAGE_KERNELS = ['nearest', 'linear', 'cubic', 'mitchell', 'lanczos2', 'lanczos3'] as const;

/**
 * How an image file becomes the model's input: EXIF orientation applied,
 * transparency flattened onto `background`, brought to `width`×`height`
 * by `fit` with `kernel`, converted to grey (1 channel) or sRGB (3), bytes
 * divided by 255. Shape of one input `[height, width, channels]`.
 */
export const imagePreprocessingSchema = z
  .object({
    kind: z.literal('image'),
    version: z.literal(PREPROCESSING_VERSION),
    width: z.number().int().positive(),
    height: z.number().int().positive(),
    channels: z.union([z.literal(1), z.literal(3)]),
    /** `#rrggbb` that transparent pixels are flattened onto. */
    background: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'expected a colour #rrggbb'),
    fit: z.enum(IMAGE_FITS),
    kernel: z.enum(IMAGE_KERNELS),
  })
  .strict();

/** See {@link imagePreprocessingSchema}. */
export type ImagePreprocessing = z.infer<typeof imagePreprocessingSchema>;

/**
 * Parts of a date or time a date column becomes, each one input feature:
 * `days` since the column's first training day (UTC), and the position in the year, the week and
 * the day as a point on a circle (sine and cosine), so December is next to
 * January and Sunday next to Monday.
 */
export const DATE_PARTS = ['days', 'year-sin', 'year-cos', 'week-sin', 'week-cos', 'day-sin', 'day-cos'] as const;

/** One date part; see {@link DATE_PARTS}. */
export type DatePart = (typeof DATE_PARTS)[number];

/** One column of a table as the model sees it. */
export const tableColumnSchema = z.discriminatedUnion('kind', [
  z
    .object({
      name,
      /** A number, standardised into one input feature. */
      kind: z.literal('numeric'),
      /** The value an empty cell is filled with (file units), when missing values are imputed. */
      fill: z.number().finite().optional(),
    })
    .strict(),
  z
    .object({
      name,
      /** A category, one-hot encoded into one input feature per category. */
      kind: z.literal('categorical'),
      /** The categories seen in the training rows, in feature order; others encode as all zeros. An empty cell is the category `''` unless `fill` says otherwise. */
      categories: z.array(z.string()),
      /** The category an empty cell is filled with, when missing values are imputed. */
      fill: z.string().optional(),
    })
    .strict(),
  z
    .object({
      name,
      /** A date or time (ISO 8601, `YYYY-MM-DD[ HH:MM[:SS]]`, or a Parquet timestamp), one input feature per part. */
      kind: z.literal('datetime'),
      parts: z.array(z.enum(DATE_PARTS)).min(1),
      /** Milliseconds since 1970 that `days` counts from (the first training day), so the feature stays small enough for float32 arithmetic. */
      origin: z.number().finite(),
      /** Milliseconds since 1970 an empty cell is filled with, when missing values are imputed. */
      fill: z.number().finite().optional(),
    })
    .strict(),
]);

/** One column of a table as the model sees it; see {@link tableColumnSchema}. */
export type TableColumnEncoding = z.infer<typeof tableColumnSchema>;

/** How missing values were imputed: the fill value of each column is its training rows' mean, median or most frequent value. */
export const IMPUTE_STRATEGIES = ['mean', 'median', 'most-frequent'] as const;

/** A strategy of {@link IMPUTE_STRATEGIES}. */
export type ImputeStrategy = (typeof IMPUTE_STRATEGIES)[number];

/**
 * How a table row becomes the model's input: the feature columns in order
 * (numbers, one-hot categories, date parts), empty cells filled with each
 * column's `fill` (or the row skipped), then every number and date feature
 * standardised with `scaler`. One-hot features stay 0/1.
 */
export const tablePreprocessingSchema = z
  .object({
    kind: z.literal('table'),
    version: z.literal(PREPROCESSING_VERSION),
    /** The feature columns, in input order. */
    columns: z.array(tableColumnSchema).min(1),
    /** Standardisation of every input feature (mean 0 and std 1 for one-hot features). */
    scaler: featureScalerSchema,
    /** A row with an empty feature cell: filled with the column's `fill` (`impute`), or skipped and counted (`skip`). */
    missing: z.enum(['impute', 'skip']),
    /** How the fill values were chosen, with `missing: 'impute'`. */
    impute: z.enum(IMPUTE_STRATEGIES).optional(),
    /** The label column kept out of the features, if any. */
    label: name.optional(),
    /** The label's values seen in training, in class order (class `i` is `labelClasses[i]`). */
    labelClasses: z.array(z.string()).optional(),
    /** The field delimiter of a CSV-like file, as detected or given. */
    delimiter: z.string().length(1).optional(),
    /** Columns of the file left out of the features and why (ID-like, a date that is not parseable, `--drop`). */
    dropped: z.array(z.object({ name, reason: z.string() }).strict()).optional(),
  })
  .strict();

/** See {@link tablePreprocessingSchema}. */
export type TablePreprocessing = z.infer<typeof tablePreprocessingSchema>;

/**
 * How each window of a series is detrended before the model sees it:
 * `window-linear` removes each window's own least-squares line (per
 * channel), `window-mean` its own mean, and `none` only the training
 * part's mean. Per-window detrending keeps a trending series' windows on
 * one scale wherever the series has moved to.
 */
export const SERIES_DETRENDS = ['window-linear', 'window-mean', 'none'] as const;

/** One of {@link SERIES_DETRENDS}. */
export type SeriesDetrend = (typeof SERIES_DETRENDS)[number];

/** How a series' time column was read: calendar dates and times (milliseconds since 1970, UTC) or plain numbers. */
export const TIME_KINDS = ['date', 'number'] as const;

/**
 * How a series file becomes the model's input windows. The file's rows are
 * points in time (sorted by `timeColumn` where there is one); each
 * `valueColumns` entry is one channel; empty cells are filled linearly
 * between the nearest values before and after (`missing: 'interpolate'`;
 * at either end, the nearest value). A window of points `s .. s+window-1`
 * is computed, per channel, from the raw values of points
 * `s-difference .. s+window-1`: differenced at the lag `difference` (0:
 * none), detrended (see {@link SERIES_DETRENDS}), minus `center`, divided
 * by `scale`. Shape of one input `[window, valueColumns.length]`.
 */
export const seriesPreprocessingSchema = z
  .object({
    /** Marks a series' preprocessing among the kinds a model may carry. */
    kind: z.literal('series'),
    /** Version of this description, so that an older or newer one is named rather than misread. */
    version: z.literal(PREPROCESSING_VERSION),
    /** The column that holds each point's time, if the file has one. */
    timeColumn: name.optional(),
    /** How the time column was read. */
    timeKind: z.enum(TIME_KINDS).optional(),
    /** The columns read as signals, one channel each, in order. */
    valueColumns: z.array(name).min(1),
    /** The column of 0/1 (or true/false) anomaly labels, if the file has one. */
    labelColumn: name.optional(),
    /** Empty cells of a value column are filled linearly between their neighbours in time. */
    missing: z.literal('interpolate'),
    /** Points per window. */
    window: z.number().int().min(2),
    /** Points between the starts of training windows (scoring reads every window). */
    stride: z.number().int().positive(),
    /** Lag of differencing: 0 reads values as they are, 1 the change from the previous point, 12 from the same month a year before. */
    difference: z.number().int().nonnegative(),
    /** See {@link SERIES_DETRENDS}. */
    detrend: z.enum(SERIES_DETRENDS),
    /** Per channel, subtracted after detrending (the training part's mean with `detrend: 'none'`, else 0). */
    center: z.array(z.number().finite()),
    /** Per channel, the spread of the detrended training windows; what each value is divided by. */
    scale: z.array(z.number().finite().positive()),
    /** The field delimiter of a CSV-like file, as detected or given. */
    delimiter: z.string().length(1).optional(),
  })
  .strict()
  .refine((s) => s.center.length === s.valueColumns.length && s.scale.length === s.valueColumns.length, {
    message: 'center and scale must have one value per value column',
  });

/**
 * A series' preprocessing as saved with its model (see {@link seriesPreprocessingSchema}). An
 * interface rather than the inferred type, so that the API reference of other packages links it
 * instead of spelling out its fields undescribed.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- the fields are the schema's
export interface SeriesPreprocessing extends z.infer<typeof seriesPreprocessingSchema> {}

/**
 * Every kind of preprocessing a model can carry, told apart by `kind`. A
 * new kind (a series' windows, say) adds its schema here and registers a
 * reader for it; the metadata, the ONNX export and the commands carry it
 * without change.
 */
export const preprocessingSchema = z.discriminatedUnion('kind', [imagePreprocessingSchema, tablePreprocessingSchema, seriesPreprocessingSchema]);

/** One model's preprocessing; see {@link preprocessingSchema}. */
export type Preprocessing = z.infer<typeof preprocessingSchema>;

/** The kinds of {@link Preprocessing}. */
export type PreprocessingKind = Preprocessing['kind'];

/**
 * Checks a preprocessing description read from a file (a model's metadata,
 * an ONNX file's properties) against its schema.
 *
 * @param value - The parsed JSON.
 * @param field - Where it came from, named in the error.
 * @throws ConfigError naming the first bad field.
 * @example
 * ```ts
 * import { parsePreprocessing } from '@aekit/core';
 *
 * declare const metadata: { preprocessing?: unknown }; // a model's metadata.json, parsed
 * const preprocessing = parsePreprocessing(metadata.preprocessing, 'metadata.json: preprocessing');
 * if (preprocessing.kind === 'image') console.log(preprocessing.width, preprocessing.height);
 * ```
 */
export function parsePreprocessing(value: unknown, field = 'preprocessing'): Preprocessing {
  return parseConfig(preprocessingSchema, value, field);
}

/**
 * An image description with aekit's defaults (flattened onto white,
 * stretched with lanczos3, as `ae train --data <folder>` reads images).
 *
 * @param shape - `[height, width, channels]` of one example.
 * @returns The description, or undefined when the shape is no grey or colour image.
 * @example
 * ```ts
 * import { imagePreprocessingFor } from '@aekit/core';
 *
 * imagePreprocessingFor([28, 28, 1]);
 * // { kind: 'image', version: 1, width: 28, height: 28, channels: 1, background: '#ffffff', fit: 'fill', kernel: 'lanczos3' }
 * imagePreprocessingFor([12]); // undefined: a table row, no image
 * ```
 */
export function imagePreprocessingFor(shape: readonly number[]): ImagePreprocessing | undefined {
  const [height, width, channels] = shape;
  if (shape.length !== 3 || (channels !== 1 && channels !== 3)) return undefined;
  return { kind: 'image', version: PREPROCESSING_VERSION, width, height, channels, background: '#ffffff', fit: 'fill', kernel: 'lanczos3' };
}

/**
 * Standardises values laid out as rows of `scaler.mean.length` features,
 * in place: `(x − mean) / std`.
 *
 * @param values - Rows back to back.
 * @param scaler - Statistics per feature.
 * @returns The same array.
 * @example
 * ```ts
 * import { standardize } from '@aekit/core';
 *
 * // Two rows of two features.
 * standardize(new Float32Array([1, 10, 3, 30]), { mean: [2, 20], std: [1, 10] }); // Float32Array [-1, -1, 1, 1]
 * ```
 */
export function standardize(values: Float32Array, scaler: FeatureScaler): Float32Array {
  const n = scaler.mean.length;
  for (let i = 0; i < values.length; i++) values[i] = (values[i] - scaler.mean[i % n]) / scaler.std[i % n];
  return values;
}
