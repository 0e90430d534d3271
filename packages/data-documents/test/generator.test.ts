import { describe, expect, it } from 'vitest';
import { ConfigError } from '@aekit/core';
import {
  degradePage,
  generateDocumentPair,
  generateDocumentPairs,
  NO_DEGRADATION,
  renderCleanPage,
  type GrayImage,
} from '../src/index.js';

const layout = { width: 180, height: 240, fontSize: [9, 13] as [number, number] };

function rmse(a: GrayImage, b: GrayImage): number {
  let sum = 0;
  for (let i = 0; i < a.pixels.length; i++) sum += ((a.pixels[i] - b.pixels[i]) / 255) ** 2;
  return Math.sqrt(sum / a.pixels.length);
}

describe('the document generator', () => {
  it('makes the same pair, byte for byte, from the same seed and another from another seed', () => {
    const a = generateDocumentPair({ layout }, 7);
    const b = generateDocumentPair({ layout }, 7);
    const c = generateDocumentPair({ layout }, 8);
    expect(Buffer.from(a.clean.pixels).equals(Buffer.from(b.clean.pixels))).toBe(true);
    expect(Buffer.from(a.dirty.pixels).equals(Buffer.from(b.dirty.pixels))).toBe(true);
    expect(Buffer.from(a.clean.pixels).equals(Buffer.from(c.clean.pixels))).toBe(false);
    expect(Buffer.from(a.dirty.pixels).equals(Buffer.from(c.dirty.pixels))).toBe(false);
  });

  it('renders clean pages of black text on white paper', () => {
    const page = renderCleanPage(layout, 3);
    expect([page.width, page.height, page.pixels.length]).toEqual([180, 240, 180 * 240]);
    const white = page.pixels.filter((v) => v === 255).length / page.pixels.length;
    const ink = page.pixels.filter((v) => v < 128).length / page.pixels.length;
    expect(white).toBeGreaterThan(0.6);
    expect(ink).toBeGreaterThan(0.01);
    // Anti-aliased letter edges give some grey levels.
    expect(page.pixels.filter((v) => v > 0 && v < 255).length).toBeGreaterThan(0);
  });

  it('leaves the page exactly clean when every strength is zero', () => {
    const pair = generateDocumentPair({ layout, dirt: NO_DEGRADATION }, 11);
    expect(Buffer.from(pair.dirty.pixels).equals(Buffer.from(pair.clean.pixels))).toBe(true);
  });

  it('soils the page with the default strengths', () => {
    const pair = generateDocumentPair({ layout }, 11);
    const error = rmse(pair.dirty, pair.clean);
    expect(error).toBeGreaterThan(0.08);
    expect(error).toBeLessThan(0.4);
  });

  it('changes the page with each effect alone, and more with more strength', () => {
    const clean = renderCleanPage(layout, 5);
    for (const effect of Object.keys(NO_DEGRADATION) as (keyof typeof NO_DEGRADATION)[]) {
      const weak = effect === 'saltAndPepper' ? 0.01 : effect === 'gaussianNoise' ? 0.03 : 0.3;
      const once = degradePage(clean, { ...NO_DEGRADATION, [effect]: weak }, 1);
      const twice = degradePage(clean, { ...NO_DEGRADATION, [effect]: weak * 3 }, 1);
      expect(rmse(once, clean), effect).toBeGreaterThan(0);
      expect(rmse(twice, clean), effect).toBeGreaterThan(rmse(once, clean));
    }
  });

  it('keeps one effect in place when another strength changes', () => {
    const clean = renderCleanPage(layout, 5);
    const stainsOnly = degradePage(clean, { ...NO_DEGRADATION, stains: 0.5 }, 2);
    const withDust = degradePage(clean, { ...NO_DEGRADATION, stains: 0.5, saltAndPepper: 0.01 }, 2);
    // Adding dust moves about 1% of the pixels; the stains stay where they were.
    const moved = stainsOnly.pixels.filter((v, i) => v !== withDust.pixels[i]).length / clean.pixels.length;
    expect(moved).toBeGreaterThan(0.002);
    expect(moved).toBeLessThan(0.011);
  });

  it('names pages and derives a seed for each', () => {
    const pairs = generateDocumentPairs(2, { layout }, 0);
    expect(pairs.map((p) => p.name)).toEqual(['page-0000', 'page-0001']);
    expect(Buffer.from(pairs[0].clean.pixels).equals(Buffer.from(pairs[1].clean.pixels))).toBe(false);
  });

  it('refuses bad settings, naming the field', () => {
    expect(() => generateDocumentPair({ layout, dirt: { stains: 2 } }, 0)).toThrow(ConfigError);
    expect(() => generateDocumentPair({ layout, dirt: { stains: 2 } }, 0)).toThrow(/^dirt\.stains: /);
    expect(() => renderCleanPage({ fontSize: [20, 10] }, 0)).toThrow(/^layout\.fontSize: /);
  });
});
