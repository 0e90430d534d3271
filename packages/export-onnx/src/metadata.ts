import { PREPROCESSING_VERSION, preprocessingSchema, type FeatureScaler, type Preprocessing, type PreprocessingStep } from '@aekit/core';

/** Which of an autoencoder's three models an ONNX file holds. */
export type ModelPart = 'full' | 'encoder' | 'decoder';

/** The parts, in the order `ae export --part all` writes them. */
export const MODEL_PARTS: readonly ModelPart[] = ['full', 'encoder', 'decoder'];

/** Keys aekit writes into an ONNX model's `metadata_props`. */
export const METADATA_KEYS = {
  /** Always `aekit-onnx`: marks a file written by this package. */
  format: 'aekit.format',
  /** `full`, `encoder` or `decoder`. */
  part: 'aekit.part',
  /** The family name, e.g. `dense`. */
  family: 'aekit.family',
  /** The family config as JSON. */
  config: 'aekit.config',
  /** Shape of one model input, as JSON, e.g. `[28,28,1]`. */
  inputShape: 'aekit.inputShape',
  /** Shape of one code, as JSON. */
  latentShape: 'aekit.latentShape',
  /** Shape of one example of the training data, as JSON (how to draw a reconstruction). */
  dataShape: 'aekit.dataShape',
  /**
   * The model's preprocessing as JSON (see core's `Preprocessing`): how a
   * raw item (an image file, a table row) becomes its input. Tools that
   * meet raw items apply it before running the graph (`ae infer`, `ae serve`
   * do, through core's `preprocessors`), except the steps in `inModel`.
   */
  preprocessing: 'aekit.preprocessing',
  /**
   * The steps of the preprocessing the graph does itself, as a JSON array:
   * `["scale"]` for a model trained on a table, whose graph standardises its
   * input (and unstandardises its reconstruction), so inputs and
   * reconstructions are in raw units and scores divide each feature's error
   * by its `std` to match the standardised errors of training.
   */
  inModel: 'aekit.inModel',
} as const;

/** Keys of files exported before the preprocessing description: a table's scaler (in the graph) and its columns. */
const LEGACY_KEYS = { scaler: 'aekit.scaler', table: 'aekit.table' } as const;

/** What aekit's metadata says about a model, parsed. */
export interface AekitMetadata {
  /** The part; `full` for a file without aekit metadata. */
  part: ModelPart;
  /** The family that built the model, e.g. `conv`. */
  family?: string;
  /** The family config the model was built from. */
  config?: Record<string, unknown>;
  /** Shape of one input of the autoencoder. */
  inputShape?: number[];
  /** Shape of one code. */
  latentShape?: number[];
  /** Shape of one example of the training data (how to draw an item). */
  dataShape?: number[];
  /** How a raw item becomes the model's input, where the model keeps it. */
  preprocessing?: Preprocessing;
  /** The steps of `preprocessing` inside the graph (`scale` for a table's standardisation). */
  inModel: PreprocessingStep[];
  /** The standardisation inside the graph, for models trained on tables (from `preprocessing` when `inModel` has `scale`). */
  scaler?: FeatureScaler;
}

/**
 * Parses aekit's entries of `metadata_props`; tolerant of files written by other tools.
 *
 * @example
 * ```ts
 * import { parseAekitMetadata } from '@aekit/export-onnx';
 *
 * const metadata = parseAekitMetadata({ 'aekit.part': 'encoder', 'aekit.family': 'dense', 'aekit.inputShape': '[784]', 'aekit.latentShape': '[32]' });
 * console.log(metadata.part, metadata.family, metadata.latentShape); // 'encoder' 'dense' [32]
 * ```
 * @param props - The model's `metadata_props` as key-value pairs.
 */
export function parseAekitMetadata(props: Readonly<Record<string, string>>): AekitMetadata {
  const json = <T>(key: string): T | undefined => {
    const text = props[key];
    if (text === undefined) return undefined;
    try {
      return JSON.parse(text) as T;
    } catch {
      return undefined;
    }
  };
  const part = props[METADATA_KEYS.part];
  const legacyScaler = json<FeatureScaler>(LEGACY_KEYS.scaler);
  const legacyTable = json<{ columns: unknown[]; label?: string; labelClasses?: string[] }>(LEGACY_KEYS.table);
  const described = json(METADATA_KEYS.preprocessing) ?? (legacyScaler && legacyTable ? { kind: 'table', version: PREPROCESSING_VERSION, ...legacyTable, scaler: legacyScaler, missing: 'skip' } : undefined);
  const parsed = described === undefined ? undefined : preprocessingSchema.safeParse(described);
  const preprocessing = parsed?.success ? parsed.data : undefined;
  const inModel = (json<unknown[]>(METADATA_KEYS.inModel) ?? (legacyScaler ? ['scale'] : [])).filter((s): s is PreprocessingStep => s === 'scale');
  return {
    part: part === 'encoder' || part === 'decoder' ? part : 'full',
    family: props[METADATA_KEYS.family],
    config: json(METADATA_KEYS.config),
    inputShape: json(METADATA_KEYS.inputShape),
    latentShape: json(METADATA_KEYS.latentShape),
    dataShape: json(METADATA_KEYS.dataShape),
    preprocessing,
    inModel,
    scaler: inModel.includes('scale') && preprocessing?.kind === 'table' ? preprocessing.scaler : undefined,
  };
}
