import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from './atomic-write.js';
import { tf } from '../tf.js';
import type { Autoencoder } from '../autoencoder.js';
import { AeError, DataFileError } from '../errors.js';
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
 *
 * @param autoencoder - The model to save.
 * @param dir - Directory to write (created if missing).
 * @param dataShape - Shape of one example of the data it was built for.
 */
export async function saveAutoencoder(autoencoder: Autoencoder, dir: string, dataShape: readonly number[]): Promise<void> {
  await mkdir(dir, { recursive: true });
  let artifacts: tf.io.ModelArtifacts | undefined;
  await autoencoder.model.save(
    tf.io.withSaveHandler(async (a) => {
      artifacts = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  if (!artifacts?.weightSpecs || !artifacts.weightData) throw new AeError('save', 'tfjs returned no weights to save');
  const weights = new Uint8Array(tf.io.CompositeArrayBuffer.join(artifacts.weightData));
  const sha256 = createHash('sha256').update(weights).digest('hex');
  const weightsFile = `weights-${sha256.slice(0, 16)}.bin`;
  const metadata: SavedModelMetadata = {
    format: 'aekit-autoencoder',
    version: 1,
    family: autoencoder.family,
    config: { ...autoencoder.config },
    dataShape: [...dataShape],
    inputShape: [...autoencoder.inputShape],
    latentShape: [...autoencoder.latentShape],
    weightsSha256: sha256,
  };
  const modelJson = {
    format: 'layers-model',
    generatedBy: `TensorFlow.js tfjs-layers v${tf.version_layers}`,
    convertedBy: 'aekit',
    modelTopology: artifacts.modelTopology,
    weightsManifest: [{ paths: [`./${weightsFile}`], weights: artifacts.weightSpecs }],
    userDefinedMetadata: { aekit: metadata },
  };
  await writeFileAtomic(join(dir, weightsFile), weights);
  await writeFileAtomic(join(dir, MODEL_JSON), JSON.stringify(modelJson));
  for (const name of await readdir(dir)) {
    if (/^weights-[0-9a-f]+\.bin$/.test(name) && name !== weightsFile) await rm(join(dir, name), { force: true });
  }
}

/** Reads and checks the aekit metadata of a saved model without loading weights. */
export async function readModelMetadata(dir: string): Promise<SavedModelMetadata> {
  const { metadata } = await readModelJson(dir);
  return metadata;
}

async function readModelJson(dir: string) {
  const file = join(dir, MODEL_JSON);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new DataFileError(file, `cannot read the model (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  let json: {
    weightsManifest?: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
    userDefinedMetadata?: { aekit?: SavedModelMetadata };
  };
  try {
    json = JSON.parse(text);
  } catch {
    throw new DataFileError(file, 'is not valid JSON (truncated or corrupt)');
  }
  const metadata = json.userDefinedMetadata?.aekit;
  if (!metadata || metadata.format !== 'aekit-autoencoder' || typeof metadata.family !== 'string') {
    throw new DataFileError(file, 'has no aekit metadata; it was not saved by saveAutoencoder');
  }
  const manifest = json.weightsManifest;
  if (!Array.isArray(manifest) || manifest.length === 0) throw new DataFileError(file, 'has no weightsManifest');
  return { file, metadata, manifest };
}

/**
 * Loads an autoencoder saved by {@link saveAutoencoder}: rebuilds it from its
 * family and config (the family's plugin must be registered) and sets the
 * saved weights, after checking the weights file's size and hash.
 *
 * @param dir - The model directory.
 * @param registry - Where to find the family; the shared registry by default.
 * @throws DataFileError naming the file when it is missing, truncated or corrupt.
 */
export async function loadAutoencoder(dir: string, registry: FamilyRegistry = defaultRegistry): Promise<Autoencoder> {
  const { file, metadata, manifest } = await readModelJson(dir);
  const specs = manifest.flatMap((group) => group.weights);
  const buffers: Uint8Array[] = [];
  for (const path of manifest.flatMap((group) => group.paths)) {
    const weightsFile = join(dir, path);
    try {
      buffers.push(await readFile(weightsFile));
    } catch (error) {
      throw new DataFileError(weightsFile, `cannot read weights (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  }
  const bytes = Buffer.concat(buffers);
  const weightsName = join(dir, manifest[0].paths[0]);
  const expectedBytes = specs.reduce((n, s) => n + s.shape.reduce((a, b) => a * b, 1) * 4, 0);
  if (bytes.length !== expectedBytes) {
    throw new DataFileError(weightsName, `has ${bytes.length} bytes, the manifest in ${file} needs ${expectedBytes} (truncated?)`);
  }
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  if (sha256 !== metadata.weightsSha256) {
    throw new DataFileError(weightsName, 'does not match the checksum recorded in model.json (corrupt)');
  }
  const autoencoder = registry.create(metadata.family, metadata.config, { seed: 0, dataShape: metadata.dataShape });
  const named = tf.io.decodeWeights(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length), specs);
  const values = specs.map((s) => named[s.name]);
  const targets = autoencoder.model.weights;
  try {
    if (values.length !== targets.length) {
      throw new DataFileError(file, `holds ${values.length} weights, the '${metadata.family}' model has ${targets.length}`);
    }
    values.forEach((v, i) => {
      if (!tf.util.arraysEqual(v.shape, targets[i].shape as number[])) {
        throw new DataFileError(file, `weight ${specs[i].name} has shape [${v.shape}], the model expects [${targets[i].shape}]`);
      }
    });
    autoencoder.model.setWeights(values);
  } catch (error) {
    autoencoder.dispose();
    throw error;
  } finally {
    tf.dispose(values);
  }
  return autoencoder;
}
