import { describe, expect, it } from 'vitest';
import { ConfigError, FamilyRegistry, UnknownFamilyError, tf, useBackend, z } from '../src/index.js';
import { beforeAll } from 'vitest';
import { tinyFamily } from './fixtures/tiny-family.js';

beforeAll(async () => {
  await useBackend('cpu');
});

describe('FamilyRegistry', () => {
  it('registers families and lists them by name', () => {
    const registry = new FamilyRegistry();
    expect(registry.names()).toEqual([]);
    registry.use({ name: 'test-plugin', families: [tinyFamily] });
    registry.use({ name: 'test-plugin', families: [tinyFamily] });
    expect(registry.names()).toEqual(['tiny']);
    expect(registry.get('tiny')).toBe(tinyFamily);
    expect(registry.pluginNames()).toEqual(['test-plugin']);
  });

  it('refuses a second family under a taken name and badly formed names', () => {
    const registry = new FamilyRegistry();
    registry.register(tinyFamily);
    expect(() => registry.register({ ...tinyFamily })).toThrow(/already registered/);
    expect(() => registry.register({ ...tinyFamily, name: 'Bad Name' })).toThrow(/lowercase/);
  });

  it('names the known families when asked for an unknown one', () => {
    const registry = new FamilyRegistry();
    registry.register(tinyFamily);
    expect(() => registry.get('dens')).toThrow(UnknownFamilyError);
    expect(() => registry.get('dens')).toThrow("unknown family 'dens'; registered families: tiny");
  });

  it('validates configs and names the offending field', () => {
    const registry = new FamilyRegistry();
    registry.register(tinyFamily);
    const make = (config: unknown) => registry.create('tiny', config, { seed: 0, dataShape: [8] });
    expect(() => make({ latentDim: -3 })).toThrow(ConfigError);
    expect(() => make({ latentDim: -3 })).toThrow(/^tiny\.latentDim: .*got -3/);
    expect(() => make({ hidden: 'many' })).toThrow(/^tiny\.hidden: /);
    expect(() => make({ latentDim: NaN })).toThrow(/^tiny\.latentDim: .*(got|received) NaN$/);
    const strict = new FamilyRegistry();
    strict.register({ ...tinyFamily, configSchema: z.strictObject({ latentDim: z.number().default(4) }) });
    expect(() => strict.create('tiny', { latentDims: 3 }, { seed: 0, dataShape: [8] })).toThrow(
      'tiny.latentDims: is not a setting here (unknown key)',
    );
    const ae = make({});
    expect(ae.config).toEqual({ latentDim: 4, hidden: 16 });
    expect(ae.inputShape).toEqual([8]);
    expect(ae.latentShape).toEqual([4]);
    ae.dispose();
  });

  it('disposing an autoencoder frees every weight', () => {
    const registry = new FamilyRegistry();
    registry.register(tinyFamily);
    const before = tf.memory().numTensors;
    const ae = registry.create('tiny', {}, { seed: 0, dataShape: [8] });
    expect(tf.memory().numTensors).toBeGreaterThan(before);
    ae.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('registers plugin commands and refuses duplicates', () => {
    const registry = new FamilyRegistry();
    const command = { name: 'hello', description: 'says hello', run: async () => undefined };
    registry.use({ name: 'a', families: [], commands: [command] });
    expect(registry.commands().map((c) => c.name)).toEqual(['hello']);
    expect(() => registry.use({ name: 'b', families: [], commands: [command] })).toThrow(/already registered/);
  });
});
