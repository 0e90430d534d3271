import { beforeAll, describe, expect, it } from 'vitest';
import { ArrayDataset, createRng, FamilyRegistry, fit, useBackend, type AutoencoderPlugin } from '@aekit/core';
// fit's worker threads come with the Node entry.
import '@aekit/core/node';
import { PaddedSequenceDataset } from '../src/index.js';

// Worker threads import the family's plugin module, which must be plain
// JavaScript: this test trains through the built package (turbo builds it first).
let registry: FamilyRegistry;

beforeAll(async () => {
  await useBackend('wasm');
  const built = (await import(new URL('../dist/index.js', import.meta.url).href)) as { plugin: AutoencoderPlugin };
  registry = new FamilyRegistry();
  registry.use(built.plugin);
});

/** Noisy sine waves of random length 4..12 steps with 2 features, padded with a value far from the data. */
function paddedWaves(n: number): PaddedSequenceDataset {
  const rng = createRng(7);
  const sequences = Array.from({ length: n }, () => {
    const steps = 4 + Math.floor(rng() * 9);
    const phase = rng() * 6;
    return Array.from({ length: steps }, (_, t) => [Math.sin(phase + t / 2), Math.cos(phase + t / 3)]);
  });
  return PaddedSequenceDataset.fromSequences(sequences, { features: 2, timesteps: 12, padValue: 5 });
}

describe('training padded sequences on worker threads', () => {
  it('hands each thread its share of the sequence lengths', async () => {
    const data = paddedWaves(96);
    const train = async (workers: number, dataset = data as PaddedSequenceDataset | ArrayDataset) => {
      const ae = registry.create('lstm', { latentDim: 4, units: 8 }, { seed: 1, dataShape: data.exampleShape });
      const result = await fit(ae, dataset, { epochs: 2, batchSize: 32, learningRate: 0.01, workers, registry });
      ae.dispose();
      return result.history.map((r) => r.loss);
    };
    const one = await train(1);
    const two = await train(2);
    // Not equal to rounding: a masked mean divides by the real steps of each share, not of the whole batch.
    one.forEach((loss, epoch) => expect(Math.abs(two[epoch]! - loss) / loss).toBeLessThan(0.01));
    // Had a worker not masked its padding (value 5), its loss would be far off.
    const unmasked = await train(2, new ArrayDataset(data.batch(Array.from({ length: data.size }, (_, i) => i)).dataSync() as Float32Array, data.exampleShape));
    expect(unmasked[0]! - one[0]!).toBeGreaterThan(0.1);
  });
});
