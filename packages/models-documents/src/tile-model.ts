import { ConfigError, type Autoencoder } from '@aekit/core';
import { DocumentDenoiser } from './doc-denoiser/denoiser.js';
import type { TileModel } from './tiling.js';

/**
 * The tile model of a trained autoencoder: a `doc-denoiser` cleans tiles of
 * any size (multiples of its downsampling) with the same weights; any
 * other autoencoder of grayscale images `[h, w, 1]` cleans tiles of exactly
 * its input size.
 *
 * @throws ConfigError when the autoencoder does not take grayscale images.
 * @param autoencoder - A trained autoencoder of grayscale images.
 */
export function tileModelOf(autoencoder: Autoencoder): TileModel {
  if (autoencoder instanceof DocumentDenoiser) {
    return { multiple: autoencoder.sizeMultiple, predict: (tiles) => autoencoder.denoise(tiles) };
  }
  const [height, width, channels] = autoencoder.inputShape;
  if (autoencoder.inputShape.length !== 3 || channels !== 1 || !(height > 0 && width > 0)) {
    throw new ConfigError(
      'model',
      `a '${autoencoder.family}' model takes [${autoencoder.inputShape}]; cleaning pages needs a model of grayscale images [height, width, 1]`,
    );
  }
  return { fixedSize: [height, width], predict: (tiles) => autoencoder.reconstruct(tiles) };
}
