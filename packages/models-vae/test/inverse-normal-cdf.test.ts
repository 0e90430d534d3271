import { describe, expect, it } from 'vitest';
import { inverseNormalCdf } from '../src/index.js';

describe('inverseNormalCdf', () => {
  it('matches reference quantiles of the standard normal', () => {
    // Reference values computed with mpmath at 30 (350 for 1e-300) digits.
    const reference: [number, number][] = [
      [0.5, 0],
      [0.975, 1.959963984540054],
      [0.05, -1.6448536269514722],
      [0.95, 1.6448536269514722],
      [0.999, 3.090232306167813],
      [0.2, -0.8416212335729143],
      [1e-10, -6.361340902404056],
      [1e-300, -37.0470962993612],
    ];
    for (const [p, z] of reference) expect(inverseNormalCdf(p)).toBeCloseTo(z, 10);
  });

  it('is odd around 0.5, increasing, and infinite or NaN at and past the ends', () => {
    let previous = -Infinity;
    for (let i = 1; i < 1000; i++) {
      const p = i / 1000;
      const z = inverseNormalCdf(p);
      expect(z).toBeGreaterThan(previous);
      expect(inverseNormalCdf(1 - p)).toBeCloseTo(-z, 12);
      previous = z;
    }
    expect(inverseNormalCdf(0)).toBe(-Infinity);
    expect(inverseNormalCdf(1)).toBe(Infinity);
    expect(inverseNormalCdf(1.5)).toBeNaN();
    expect(inverseNormalCdf(Number.NaN)).toBeNaN();
  });
});
