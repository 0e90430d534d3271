// Without @aekit/core/node, core has no worker threads: `fit` with
// workers above 1 says what to import (this file imports only the main entry;
// each test file runs in its own process).
import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, fit, FamilyRegistry, useBackend } from '../src/index.js';
import { patternData, tinyFamily } from './fixtures/tiny-family.js';

beforeAll(async () => {
  await useBackend('cpu');
});

describe('fit with workers, from the main entry alone', () => {
  it("names @aekit/core/node, which brings Node's worker threads", async () => {
    const registry = new FamilyRegistry();
    registry.register(tinyFamily);
    const ae = registry.create('tiny', { latentDim: 4 }, { seed: 0, dataShape: [16] });
    const error = await fit(ae, patternData(64), { epochs: 1, workers: 2, registry }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toMatch(/^workers: training on 2 threads needs Node's worker threads: import '@aekit\/core\/node'/);
  });
});
