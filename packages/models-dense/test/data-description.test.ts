import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend, type DataDescription } from '@aekit/core';
import { plugin } from '../src/index.js';
import { denseRegistry } from './helpers.js';

const registry = denseRegistry();
const unbounded: DataDescription = { values: 'unbounded' };
const unitInterval: DataDescription = { values: 'unit-interval' };
const create = (name: string, config: Record<string, unknown>, data?: DataDescription) => registry.create(name, config, { seed: 0, dataShape: [6], data });

beforeAll(async () => {
  await useBackend('cpu');
});

describe('the fully-connected families read the description of the data', () => {
  it.each(plugin.families.map((f) => f.name))('%s: a linear output and mean squared error on unbounded data, a sigmoid and cross-entropy on [0, 1]', (name) => {
    const table = create(name, {}, unbounded);
    expect(table.config.output).toBe('linear');
    expect(table.loss.terms.map((t) => t.name)).toContain('mse');
    table.dispose();
    const images = create(name, {}, unitInterval);
    expect(images.config.output).toBe('sigmoid');
    images.dispose();
    // A saved model is loaded without a description: its config already holds the choice.
    const loaded = create(name, { output: 'linear' });
    expect(loaded.config.output).toBe('linear');
    loaded.dispose();
  });

  it('refuse a sigmoid output on unbounded data in one line naming the setting', () => {
    expect(() => create('dense', { output: 'sigmoid' }, unbounded)).toThrow(
      "dense.output: 'sigmoid' (binary cross-entropy) reconstructs values in [0, 1], and this data has unbounded values (e.g. standardised table columns); use 'linear' (mean squared error) or leave output out",
    );
    const linear = create('dense', { output: 'linear' }, unitInterval);
    expect(linear.config.output).toBe('linear');
    linear.dispose();
  });

  it('describe themselves truthfully for every kind of data: a description naming one loss names both', () => {
    for (const family of plugin.families) {
      const names = ['binary cross-entropy', 'mean squared error'].filter((loss) => family.description.includes(loss));
      expect([0, 2], `${family.name}: ${family.description}`).toContain(names.length);
    }
  });
});
