import type { FeatureScaler, TableEncoding } from '@aekit/core';

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
   * The input standardisation baked into the graph, as JSON `{ mean, std }`
   * (for models trained on tables): inputs and reconstructions are in raw
   * units, and scores divide each feature's error by its `std` so they
   * match the standardised errors of training.
   */
  scaler: 'aekit.scaler',
  /** A table's columns, categories and label as JSON, to encode raw rows the same way. */
  table: 'aekit.table',
} as const;

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
  /** The standardisation inside the graph, for models trained on tables. */
  scaler?: FeatureScaler;
  /** The table encoding the model was trained with. */
  table?: TableEncoding;
}

/**
 * Parses aekit's entries of `metadata_props`; tolerant of files written by other tools.
 *
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
  return {
    part: part === 'encoder' || part === 'decoder' ? part : 'full',
    family: props[METADATA_KEYS.family],
    config: json(METADATA_KEYS.config),
    inputShape: json(METADATA_KEYS.inputShape),
    latentShape: json(METADATA_KEYS.latentShape),
    dataShape: json(METADATA_KEYS.dataShape),
    scaler: json(METADATA_KEYS.scaler),
    table: json(METADATA_KEYS.table),
  };
}
