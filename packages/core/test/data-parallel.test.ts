import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, fit, FamilyRegistry, useBackend } from '../src/index.js';
import { shareSizes } from '../src/trainer/parallel/gradient-workers.js';
// Worker threads come with the Node entry.
import '../src/node/index.js';
import { patternData, tinyFamily } from './fixtures/tiny-family.js';

// Training on worker threads end to end (built packages, a plugin module) is
// tested by the CLI's `ae train --workers 2`; here, the parts that need no threads.

beforeAll(async () => {
  await useBackend('wasm');
});

describe('shareSizes', () => {
  it('splits a batch as evenly as possible, larger shares first, losing no example', () => {
    expect(shareSizes(256, 2)).toEqual([128, 128]);
    expect(shareSizes(241, 2)).toEqual([121, 120]);
    expect(shareSizes(10, 3)).toEqual([4, 3, 3]);
    expect(shareSizes(1, 2)).toEqual([1, 0]);
    for (const [n, k] of [[97, 4], [5, 8], [1000, 3]]) expect(shareSizes(n, k).reduce((a, b) => a + b, 0)).toBe(n);
  });
});

describe('fit with workers', () => {
  it('names the workers option when the family has no plugin module to load in a thread', async () => {
    const registry = new FamilyRegistry();
    registry.register(tinyFamily);
    const ae = registry.create('tiny', { latentDim: 4 }, { seed: 0, dataShape: [16] });
    const error = await fit(ae, patternData(64), { epochs: 1, workers: 2, registry }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toMatch(/workers.*module: import\.meta\.url/s);
    ae.dispose();
  });

  it('rejects a worker count that is not a positive integer', async () => {
    const registry = new FamilyRegistry();
    registry.register(tinyFamily);
    const ae = registry.create('tiny', { latentDim: 4 }, { seed: 0, dataShape: [16] });
    await expect(fit(ae, patternData(64), { epochs: 1, workers: 0 })).rejects.toThrow(/workers/);
    await expect(fit(ae, patternData(64), { epochs: 1, workers: 1.5 })).rejects.toThrow(/workers/);
    ae.dispose();
  });
});
