import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from './atomic-write.js';
import { prepareOutputFolder } from './output-paths.js';
import { readJsonFile } from './read-json-file.js';
import { rebuildAutoencoder } from './rebuild-autoencoder.js';
import { modelJsonSchema } from './saved-file-schemas.js';
import { assignWeights, readWeightsFile, writeWeightsFile } from './weights-file.js';
import { tf } from '../tf.js';
import type { Autoencoder } from '../autoencoder.js';
import { parseFileContents } from '../config.js';
import { AeError, ConfigError, DataFileError } from '../errors.js';
import { parsePreprocessing, PREPROCESSING_VERSION, type Preprocessing } from '../preprocessing.js';
import { registry as defaultRegistry, type FamilyRegistry } from '../registry.js';

/** Name of the tfjs layers-format topology file in a model directory. */
export const MODEL_JSON = 'model.json';

/** What aekit keeps in `model.json`'s `userDefinedMetadata.aekit`. */
export interface SavedModelMetadata {
  format: 'aekit-autoencoder';
  version: 1;
  family: string;
  config: Record<string, unknown>;
  dataShape: number[];
  inputShape: number[];
  latentShape: number[];
  /** SHA-256 of the weights file, checked on load. */
  weightsSha256: string;
  /** How a raw item becomes the model's input (an image's size and background, a table's columns, fill values and scaler). */
  preprocessing?: Preprocessing;
  /** The anomaly threshold chosen at training, where the run chose one. */
  threshold?: AnomalyThreshold;
}

/**
 * The score above which an item counts as anomalous, chosen when the model
 * was trained (from scores of data it did not learn from) and saved with
 * it, so that scoring new data flags it the same way.
 */
export interface AnomalyThreshold {
  /** Items scoring above it are flagged (for a series: points, by their score averaged over the windows that hold them). */
  value: number;
  /** For a series: the threshold of whole windows' scores. */
  window?: number;
  /** The percentile of the scores it was chosen as. */
  percentile: number;
  /** What scores it was chosen on, e.g. `validation points`. */
  chosenOn: string;
}

/** Options of {@link saveAutoencoder}. */
export interface SaveOptions {
  /** How a raw item becomes the model's input, applied again at evaluation, scoring, inference and export. */
  preprocessing?: Preprocessing;
  /** The anomaly threshold chosen at training. */
  threshold?: AnomalyThreshold;
}

/**
 * Saves an autoencoder's full model in the tfjs layers format (`model.json`
 * plus a weights file), loadable by {@link loadAutoencoder} and by
 * `tf.loadLayersModel` in a browser, with the family and config needed to
 * rebuild it.
 *
 * The save is atomic: the weights go to a new file named by their hash,
 * then `model.json` is replaced in one rename, and only then are old weights
 * files removed. A crash at any point leaves the previous model loadable.
 * An existing `dir` must be empty or hold a saved model: a folder of
 * anything else is refused, never written into.
 *
 * @example
 * ```ts
 * import { registry, type Autoencoder } from '@aekit/core';
 * import { loadAutoencoder, saveAutoencoder } from '@aekit/core/node';
 *
 * declare const ae: Autoencoder; // trained on 28x28x1 images
 * await saveAutoencoder(ae, 'runs/mine/model', [28, 28, 1]);
 * const again = await loadAutoencoder('runs/mine/model', registry); // its family's plugin registered
 * ```
 * @param autoencoder - The model to save.
 * @param dir - Directory to write (created if missing).
 * @param dataShape - Shape of one example of the data it was built for.
 * @param options - The preprocessing, kept in the metadata.
 */
export async function saveAutoencoder(autoencoder: Autoencoder, dir: string, dataShape: readonly number[], options: SaveOptions = {}): Promise<void> {
  await prepareOutputFolder(dir, { option: 'saveAutoencoder', expected: [MODEL_JSON] });
  let topology: tf.io.ModelArtifacts['modelTopology'];
  await autoencoder.model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      topology = artifacts.modelTopology;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  if (!topology) throw new AeError('save', 'tfjs returned no model topology to save');
  // Names as tfjs' own save gives them, so tf.loadLayersModel maps them to layers.
  const named = autoencoder.model.weights.map((w) => ({ name: w.originalName, tensor: w.read() }));
  const weights = await writeWeightsFile(dir, 'weights', named);
  const metadata: SavedModelMetadata = {
    format: 'aekit-autoencoder',
    version: 1,
    family: autoencoder.family,
    config: { ...autoencoder.config },
    dataShape: [...dataShape],
    inputShape: [...autoencoder.inputShape],
    latentShape: [...autoencoder.latentShape],
    weightsSha256: weights.sha256,
    ...(options.preprocessing ? { preprocessing: parsePreprocessing(options.preprocessing) } : {}),
    ...(options.threshold ? { threshold: options.threshold } : {}),
  };
  const modelJson = {
    format: 'layers-model',
    generatedBy: `TensorFlow.js tfjs-layers v${tf.version_layers}`,
    convertedBy: 'aekit',
    modelTopology: topology,
    weightsManifest: [{ paths: [`./${weights.file}`], weights: weights.specs }],
    userDefinedMetadata: { aekit: metadata },
  };
  await writeFileAtomic(join(dir, MODEL_JSON), JSON.stringify(modelJson));
  for (const name of await readdir(dir)) {
    if (/^weights-[0-9a-f]+\.bin$/.test(name) && name !== weights.file) await rm(join(dir, name), { force: true });
  }
}

/**
 * Reads and checks the aekit metadata of a saved model without loading weights.
 *
 * @example
 * ```ts
 * import { readModelMetadata } from '@aekit/core/node';
 *
 * const meta = await readModelMetadata('runs/dense/model'); // no plugin needed, no weights read
 * // { format: 'aekit-autoencoder', version: 1, family: 'dense', config: { latentDim: 2, … },
 * //   dataShape: [8], inputShape: [8], latentShape: [2], weightsSha256: '40af…' }
 * ```
 * @param dir - Directory of a saved model (holding `model.json`).
 */
export async function readModelMetadata(dir: string): Promise<SavedModelMetadata> {
  const { metadata } = await readModelJson(dir);
  return metadata;
}

async function readModelJson(dir: string) {
  const file = join(dir, MODEL_JSON);
  const json = parseFileContents(modelJsonSchema, await readJsonFile(file, 'model'), file);
  const [group] = json.weightsManifest;
  const metadata = json.userDefinedMetadata.aekit as SavedModelMetadata & { encoding?: LegacyEncoding };
  upgradeEncoding(metadata, file);
  return { file, metadata: metadata as SavedModelMetadata, path: group.paths[0], specs: group.weights };
}

/**
 * Loads an autoencoder saved by {@link saveAutoencoder}: rebuilds it from its
 * family and config (the family's plugin must be registered) and sets the
 * saved weights, after checking `model.json` field by field and the weights
 * file's place (inside `dir`), kind (a regular file), size and hash.
 *
 * @example
 * ```ts
 * import { registry, tf } from '@aekit/core';
 * import { loadAutoencoder } from '@aekit/core/node';
 * import { plugin as dense } from '@aekit/models-dense';
 *
 * registry.use(dense);
 * const ae = await loadAutoencoder('runs/dense/model'); // the model/ folder of an `ae train` run
 * const codes = ae.encode(tf.zeros([1, ...ae.inputShape])); // [1, latentDim]
 * ```
 * @param dir - The model directory.
 * @param registry - Where to find the family; the shared registry by default.
 * @throws DataFileError naming the file when it is missing, truncated or corrupt.
 */
export async function loadAutoencoder(dir: string, registry: FamilyRegistry = defaultRegistry): Promise<Autoencoder> {
  const { file, metadata, path, specs } = await readModelJson(dir);
  const values = await readWeightsFile(dir, { file: path, sha256: metadata.weightsSha256, specs }, file);
  const autoencoder = rebuildAutoencoder(registry, metadata, file, values);
  try {
    assignWeights(autoencoder.model, values, specs.map((s) => s.name), file, `'${metadata.family}' model`);
  } catch (error) {
    autoencoder.dispose();
    throw error;
  } finally {
    tf.dispose(values);
  }
  return autoencoder;
}

/** What models saved before the preprocessing description kept: a table's columns and scaler. */
interface LegacyEncoding {
  scaler?: { mean: number[]; std: number[] };
  table?: { columns: unknown[]; label?: string; labelClasses?: string[] };
}

/** Reads a model saved with the older `encoding` (a table's columns and scaler) as a table description, and checks the description. */
function upgradeEncoding(metadata: SavedModelMetadata & { encoding?: LegacyEncoding }, file: string): void {
  const { encoding } = metadata;
  delete metadata.encoding;
  if (!metadata.preprocessing && encoding?.table && encoding.scaler) {
    const { columns, label, labelClasses } = encoding.table;
    metadata.preprocessing = { kind: 'table', version: PREPROCESSING_VERSION, columns, scaler: encoding.scaler, missing: 'skip', label, labelClasses } as Preprocessing;
  }
  if (metadata.preprocessing === undefined) return;
  try {
    metadata.preprocessing = parsePreprocessing(metadata.preprocessing);
  } catch (error) {
    if (error instanceof ConfigError) throw new DataFileError(file, `has a bad preprocessing description: ${error.message}`);
    throw error;
  }
}
