import { FamilyRegistry, type FigureWriter, type ImageRow, type ScatterFigure } from '@aekit/core';
import { loadMnist } from '@aekit/data-mnist';
import { plugin, type VariationalAutoencoder } from '../src/index.js';

/** A registry of its own, so tests do not depend on the shared one. */
export const registry = new FamilyRegistry();
registry.use(plugin);

/** Builds a VAE of one of this package's families. */
export function createVae(family: 'vae' | 'conv-vae', config: Record<string, unknown>, dataShape: readonly number[] = [28, 28, 1], seed = 1) {
  return registry.create(family, config, { seed, dataShape }) as VariationalAutoencoder;
}

/** The first `train` training and `test` test images of MNIST, flat (`[784]`) or as images. */
export async function mnistSubset(train: number, test: number, shape: readonly number[] = [784]) {
  const data = await loadMnist({ trainLimit: train, testLimit: test });
  return { train: data.train.reshape(shape), test: data.test.reshape(shape) };
}

/** A figure writer that keeps what it is given instead of drawing it. */
export function recordingFigures() {
  const images = new Map<string, { rows: ImageRow[]; title?: string }>();
  const scatters = new Map<string, ScatterFigure>();
  const writer: FigureWriter = {
    async imageRows(file, rows, options) {
      images.set(file, { rows, title: options?.title });
      return file;
    },
    async scatter(file, figure) {
      scatters.set(file, figure);
      return file;
    },
    async lines(file) {
      return file;
    },
  };
  return { writer, images, scatters };
}
