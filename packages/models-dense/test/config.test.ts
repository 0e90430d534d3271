import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, parseConfig, useBackend, type Autoencoder } from '@aekit/core';
import {
  codeGrid,
  contractiveFamily,
  deepConfigSchema,
  deepFamily,
  denseFamily,
  plugin,
  sparseFamily,
} from '../src/index.js';
import { denseRegistry } from './helpers.js';

const registry = denseRegistry();
const create = (name: string, config: unknown, dataShape: number[] = [28, 28, 1]) =>
  registry.create(name, config, { seed: 0, dataShape });
/** Units of each dense layer of the full model, input to output. */
const widths = (ae: Autoencoder) => [
  ae.inputShape[0],
  ...ae.model.layers
    .filter((layer) => layer.getClassName() === 'Dense')
    .map((layer) => (layer.getConfig() as { units: number }).units),
];

beforeAll(async () => {
  await useBackend('wasm');
});

describe('the plugin', () => {
  it('registers the four families under their names', () => {
    expect(plugin.name).toBe('@aekit/models-dense');
    expect(plugin.families).toEqual([denseFamily, sparseFamily, deepFamily, contractiveFamily]);
    expect(registry.names()).toEqual(['contractive', 'deep', 'dense', 'sparse']);
    for (const family of plugin.families) {
      expect(family.description.length).toBeGreaterThan(20);
      const learningRate = family === contractiveFamily ? { learningRate: 1e-2 } : {};
      // One thread: a second one does not pay for these small models (bench/results.md).
      // The tutorial's 50 epochs of 256 on MNIST's 54,000 training digits, as a step budget.
      expect(family.training).toEqual({ steps: 50 * 211, epochs: 50, batchSize: 256, workers: 1, ...learningRate });
    }
  });

  it('gives tables a narrow code, and dense a linear one there, and leaves MNIST as the tutorial has it', () => {
    // configFor is the one hook where defaults follow the data: its shape (the code) and its values (the output).
    const table = (dataShape: number[]) => ({ values: 'unbounded' as const, dataShape });
    for (const family of plugin.families) expect(family.configFor!({}, { values: 'unit-interval', dataShape: [28, 28, 1] })).toEqual({ output: 'sigmoid' });
    expect(denseFamily.configFor!({}, table([10]))).toEqual({ latentDim: 2, activation: 'linear', output: 'linear' });
    expect(deepFamily.configFor!({}, table([18]))).toEqual({ latentDim: 4, output: 'linear' });
    expect(deepFamily.configFor!({}, table([3]))).toEqual({ latentDim: 2, output: 'linear' });
    expect(deepFamily.configFor!({}, table([2]))).toEqual({ latentDim: 1, output: 'linear' });
    // What the user gave is kept.
    expect(denseFamily.configFor!({ latentDim: 5, activation: 'relu' }, table([10]))).toEqual({ latentDim: 5, activation: 'relu', output: 'linear' });
  });

  it('is discoverable by the aekit-plugin keyword', async () => {
    const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'));
    expect(pkg.keywords).toContain('aekit-plugin');
    expect(pkg.dependencies['@aekit/core']).toBeDefined();
  });
});

describe('defaults', () => {
  it('follow the Keras tutorial', () => {
    const configs = Object.fromEntries(registry.names().map((n) => [n, parseConfig(registry.get(n).configSchema, {})]));
    expect(configs).toEqual({
      dense: { latentDim: 32, activation: 'relu', output: 'sigmoid' },
      sparse: { latentDim: 32, activation: 'relu', l1: 1e-5, output: 'sigmoid' },
      deep: { latentDim: 32, hiddenUnits: [128, 64], activation: 'relu', output: 'sigmoid' },
      contractive: { latentDim: 32, lambda: 1e-4, output: 'sigmoid' },
    });
  });

  it("end in a linear layer trained with mean squared error with output 'linear' (standardised tables)", () => {
    for (const name of ['dense', 'sparse', 'deep', 'contractive']) {
      const ae = create(name, { output: 'linear' });
      const last = ae.model.layers.flatMap((l) => ('layers' in l ? (l as unknown as { layers: typeof ae.model.layers }).layers : [l])).at(-1)!;
      expect((last.getConfig() as { activation?: string }).activation).toBe('linear');
      expect(ae.loss.terms.map((t) => t.name)[0]).toBe('mse');
      ae.dispose();
    }
  });

  it('build 784 -> 32 -> 784 and 784 -> 128 -> 64 -> 32 -> 64 -> 128 -> 784', () => {
    for (const name of ['dense', 'sparse', 'contractive']) {
      const ae = create(name, {});
      expect(widths(ae)).toEqual([784, 32, 784]);
      ae.dispose();
    }
    const deep = create('deep', {});
    expect(widths(deep)).toEqual([784, 128, 64, 32, 64, 128, 784]);
    expect(deep.encoder.model.layers.map((l) => (l.getConfig() as { activation?: string }).activation)).toEqual([
      undefined,
      'relu',
      'relu',
      'relu',
    ]);
    deep.dispose();
  });

  it('size the code and layers from the config and the input from the data shape', () => {
    const deep = create('deep', { latentDim: 10, hiddenUnits: [256], activation: 'elu' }, [5, 6]);
    expect(widths(deep)).toEqual([30, 256, 10, 256, 30]);
    expect(deep.latentShape).toEqual([10]);
    expect(registry.get('deep').codeImageShape?.(deep)).toEqual([5, 2]);
    deep.dispose();
    const dense = create('dense', { latentDim: 2, activation: 'linear' }, [784]);
    expect(widths(dense)).toEqual([784, 2, 784]);
    dense.dispose();
  });
});

describe('invalid configs', () => {
  const refused = (name: string, config: unknown, message: RegExp) => {
    const build = () => create(name, config);
    expect(build).toThrow(ConfigError);
    expect(build).toThrow(message);
  };

  it('are refused with a message naming the field', () => {
    refused('dense', { latentDim: -3 }, /^dense\.latentDim: .*got -3$/);
    refused('dense', { latentDim: 2.5 }, /^dense\.latentDim: .*expected int/);
    refused('dense', { activation: 'softmax' }, /^dense\.activation: .*"relu"/);
    refused('sparse', { l1: -1e-5 }, /^sparse\.l1: /);
    refused('deep', { hiddenUnits: [128, -64] }, /^deep\.hiddenUnits\.1: .*got -64$/);
    refused('deep', { hiddenUnits: [] }, /^deep\.hiddenUnits: /);
    refused('deep', { hiddenUnits: 128 }, /^deep\.hiddenUnits: .*array/);
    refused('contractive', { lambda: 'strong' }, /^contractive\.lambda: .*expected number, received string$/);
    refused('contractive', { lambda: Number.NaN }, /^contractive\.lambda: /);
    refused('contractive', { latentDim: 0 }, /^contractive\.latentDim: .*got 0$/);
  });

  it('include misspelt fields, which would otherwise be ignored silently', () => {
    refused('dense', { latentdim: 8 }, /^dense\.latentdim: .*unknown key/);
    // The contractive code must be a sigmoid for the closed-form penalty.
    refused('contractive', { activation: 'relu' }, /^contractive\.activation: .*unknown key/);
  });

  it('are refused by parseConfig with the schema alone', () => {
    expect(() => parseConfig(deepConfigSchema, { latentDim: -1 }, 'deep')).toThrow(/^deep\.latentDim: /);
  });

  it('include data without a usable shape', () => {
    expect(() => create('dense', {}, [])).toThrow(/^dataShape: /);
    expect(() => create('dense', {}, [28, 0])).toThrow(/^dataShape: /);
  });
});

describe('codeGrid', () => {
  it('draws a code as the most nearly square grid, taller than wide', () => {
    expect(codeGrid(32)).toEqual([8, 4]);
    expect(codeGrid(64)).toEqual([8, 8]);
    expect(codeGrid(12)).toEqual([4, 3]);
    expect(codeGrid(2)).toEqual([2, 1]);
    expect(codeGrid(1)).toEqual([1, 1]);
    expect(codeGrid(7)).toEqual([7, 1]);
    expect(() => codeGrid(0)).toThrow(RangeError);
  });
});
