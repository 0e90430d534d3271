import { describe, expect, it } from 'vitest';
import type { ConfigError } from '@aekit/core';
import { generateSeries } from '../src/index.js';

const thrown = (fn: () => unknown): Error => {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
};

describe('generateSeries', () => {
  it('gives the same series for a seed and another one for another seed', () => {
    const options = { length: 800, channels: 3, anomalies: { count: 6, from: 400 } };
    const a = generateSeries({ ...options, seed: 7 });
    const b = generateSeries({ ...options, seed: 7 });
    const c = generateSeries({ ...options, seed: 8 });
    expect(b.values).toEqual(a.values);
    expect(b.labels).toEqual(a.labels);
    expect(b.anomalies).toEqual(a.anomalies);
    expect(c.values).not.toEqual(a.values);
    expect(c.anomalies).not.toEqual(a.anomalies);
    expect(a.values.length).toBe(800 * 3);
    expect(a.names).toEqual(['signal0', 'signal1', 'signal2']);
  });

  it('labels exactly the points where it injected anomalies', () => {
    const clean = generateSeries({ length: 1200, channels: 2, seed: 3 });
    const dirty = generateSeries({ length: 1200, channels: 2, seed: 3, anomalies: { count: 9, from: 500, to: 1150 } });
    expect(clean.labels.every((l) => l === 0)).toBe(true);
    expect(new Set(dirty.anomalies.map((a) => a.kind))).toEqual(new Set(['spike', 'level-shift', 'frozen']));
    const labelled = new Uint8Array(1200);
    for (const a of dirty.anomalies) {
      expect(a.start).toBeGreaterThanOrEqual(500);
      expect(a.end).toBeLessThanOrEqual(1150);
      labelled.fill(1, a.start, a.end);
      const at = (t: number) => t * 2 + a.channel;
      const diffs = Array.from({ length: a.end - a.start }, (_, i) => dirty.values[at(a.start + i)] - clean.values[at(a.start + i)]);
      if (a.kind === 'spike') expect(Math.abs(diffs[0])).toBeGreaterThan(1);
      if (a.kind === 'level-shift') diffs.forEach((d) => expect(d).toBeCloseTo(diffs[0], 4));
      if (a.kind === 'frozen') {
        for (let t = a.start; t < a.end; t++) expect(dirty.values[at(t)]).toBe(dirty.values[at(a.start)]);
      }
    }
    expect(dirty.labels).toEqual(labelled);
    // Outside the anomalies the series is the clean one, value for value.
    dirty.values.forEach((v, i) => {
      if (!labelled[Math.floor(i / 2)]) expect(v).toBe(clean.values[i]);
    });
  });

  it('refuses options that cannot work, naming them', () => {
    expect((thrown(() => generateSeries({ length: 10 })) as ConfigError).field).toBe('length');
    expect((thrown(() => generateSeries({ anomalies: { kinds: ['spike', 'wobble' as 'spike'] } })) as ConfigError).field).toBe(
      'anomalies.kinds.1',
    );
    expect(thrown(() => generateSeries({ length: 200, anomalies: { count: 20 } })).message).toBe(
      'anomalies.count: 20 anomalies do not fit between points 0 and 200',
    );
    expect((thrown(() => generateSeries({ length: 200, anomalies: { to: 300 } })) as ConfigError).field).toBe('anomalies.to');
  });
});
