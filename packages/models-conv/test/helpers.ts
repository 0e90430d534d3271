import { FamilyRegistry, type Autoencoder } from '@aekit/core';
import { plugin } from '../src/index.js';

/** A registry of its own with this package's plugin, as the `ae` tool sets one up. */
export function pluginRegistry(): FamilyRegistry {
  const registry = new FamilyRegistry();
  registry.use(plugin);
  return registry;
}

/** MNIST's image shape. */
export const MNIST_SHAPE = [28, 28, 1] as const;

/** Builds an autoencoder of one of this package's families for MNIST digits. */
export function build(family: string, config: Record<string, unknown> = {}, seed = 1): Autoencoder {
  return pluginRegistry().create(family, config, { seed, dataShape: MNIST_SHAPE });
}
