import { beforeAll, describe, expect, it } from 'vitest';
import { applyNoise, ConfigError, formatNoiseSpec, parseNoiseSpec, tf, useBackend } from '../src/index.js';

beforeAll(async () => {
  await useBackend('cpu');
});

describe('noise', () => {
  it('parses the command-line forms and refuses bad ones with the field name', () => {
    expect(parseNoiseSpec('gaussian:0.5')).toEqual({ type: 'gaussian', factor: 0.5 });
    expect(parseNoiseSpec('0.3')).toEqual({ type: 'gaussian', factor: 0.3 });
    expect(parseNoiseSpec('salt-and-pepper:0.1')).toEqual({ type: 'salt-and-pepper', amount: 0.1 });
    expect(formatNoiseSpec(parseNoiseSpec('mask:0.25'))).toBe('mask:0.25');
    expect(() => parseNoiseSpec('gaussian:abc')).toThrow(ConfigError);
    expect(() => parseNoiseSpec('blur:0.2')).toThrow(/^noise: unknown noise type 'blur'/);
    expect(() => parseNoiseSpec('mask:2')).toThrow(/at most 1/);
  });

  it('gaussian noise has the asked strength, stays in [0, 1] and is seeded', () => {
    const x = tf.fill([200, 100], 0.5);
    const noisy = applyNoise(x, { type: 'gaussian', factor: 0.1 }, 42);
    const values = noisy.dataSync();
    const mean = Array.from(values).reduce((a, b) => a + b, 0) / values.length;
    const sd = Math.sqrt(Array.from(values).reduce((a, b) => a + (b - mean) ** 2, 0) / values.length);
    expect(mean).toBeCloseTo(0.5, 2);
    expect(sd).toBeCloseTo(0.1, 2);
    const strong = applyNoise(x, { type: 'gaussian', factor: 2 }, 1).dataSync();
    expect(Math.min(...strong)).toBe(0);
    expect(Math.max(...strong)).toBe(1);
    expect(applyNoise(x, { type: 'gaussian', factor: 0.1 }, 42).dataSync()).toEqual(values);
    expect(applyNoise(x, { type: 'gaussian', factor: 0.1 }, 43).dataSync()).not.toEqual(values);
  });

  it('salt-and-pepper and masking change about the asked share of values', () => {
    const x = tf.fill([100, 100], 0.5);
    const sp = applyNoise(x, { type: 'salt-and-pepper', amount: 0.2 }, 1).dataSync();
    const changed = sp.filter((v) => v !== 0.5);
    expect(changed.length / sp.length).toBeCloseTo(0.2, 1);
    expect(changed.every((v) => v === 0 || v === 1)).toBe(true);
    const zeros = sp.filter((v) => v === 0).length;
    expect(zeros / changed.length).toBeCloseTo(0.5, 1);
    const masked = applyNoise(x, { type: 'mask', amount: 0.3 }, 1).dataSync();
    expect(masked.filter((v) => v === 0).length / masked.length).toBeCloseTo(0.3, 1);
  });
});
