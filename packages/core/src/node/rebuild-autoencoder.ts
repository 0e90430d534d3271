import type { Autoencoder } from '../autoencoder.js';
import type { tf } from '../tf.js';
import { ConfigError, DataFileError, UnknownFamilyError } from '../errors.js';
import type { FamilyRegistry } from '../registry.js';

/** What a saved file says to build: the family, its config and the shapes it recorded. */
export interface SavedBuild {
  family: string;
  config: Record<string, unknown>;
  dataShape: number[];
  /** The saved model's input and code shapes, checked against the rebuilt model when known. */
  inputShape?: number[];
  latentShape?: number[];
}

/**
 * Rebuilds the model a saved file describes, with every failure reported as
 * a {@link DataFileError} naming the file: a config the family refuses, a
 * size larger than the weights the file holds or a `latentDim` that
 * contradicts the saved code shape (both checked before anything is
 * allocated, so a huge one costs nothing), a model too large to build,
 * or one whose shapes differ from those saved. A family that is not
 * installed stays an `UnknownFamilyError`, which `ae` explains.
 *
 * @param registry - Where the family is registered.
 * @param saved - The family, config and shapes from the file.
 * @param file - The file, for messages.
 * @param weights - The weights the file holds (read and checked against it), which bound the config's sizes before building; disposed when the model cannot be rebuilt, as nothing else will load them.
 */
export function rebuildAutoencoder(registry: FamilyRegistry, saved: SavedBuild, file: string, weights: readonly tf.Tensor[]): Autoencoder {
  try {
    return rebuild(registry, saved, file, weights.reduce((n, w) => n + w.size, 0));
  } catch (error) {
    for (const w of weights) w.dispose();
    throw error;
  }
}

function rebuild(registry: FamilyRegistry, saved: SavedBuild, file: string, weightValues: number): Autoencoder {
  // Every unit, filter or code dimension has at least one weight: a size larger than all the weights is corrupt, and building it could take gigabytes.
  for (const [key, value] of Object.entries(saved.config)) {
    if (Number.isInteger(value) && (value as number) > Math.max(weightValues, 1024)) {
      throw new DataFileError(file, `config.${key} is ${value}, more than the ${weightValues} weight values the model holds (edited or corrupt)`);
    }
  }
  const latentDim = saved.config.latentDim;
  if (typeof latentDim === 'number' && saved.latentShape?.length === 1 && saved.latentShape[0] !== latentDim) {
    throw new DataFileError(file, `config.latentDim is ${latentDim}, but the saved code shape is [${saved.latentShape}] (edited or corrupt)`);
  }
  let autoencoder: Autoencoder;
  try {
    autoencoder = registry.create(saved.family, saved.config, { seed: 0, dataShape: saved.dataShape });
  } catch (error) {
    if (error instanceof UnknownFamilyError) throw error;
    if (error instanceof ConfigError) throw new DataFileError(file, `holds a config the '${saved.family}' family refuses: ${error.message}`);
    throw new DataFileError(file, `describes a '${saved.family}' model that cannot be built (${(error as Error).message})`);
  }
  for (const [name, shape] of [['input', saved.inputShape], ['code', saved.latentShape]] as const) {
    const built = name === 'input' ? autoencoder.inputShape : autoencoder.latentShape;
    if (shape && built.join() !== shape.join()) {
      autoencoder.dispose();
      throw new DataFileError(file, `its config builds a model with ${name} shape [${built}], but the saved ${name} shape is [${shape}] (edited or corrupt)`);
    }
  }
  return autoencoder;
}
