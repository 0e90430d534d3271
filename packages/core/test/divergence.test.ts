import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DivergenceError, FamilyRegistry, fit, NonFiniteLossError, tf, useBackend } from '../src/index.js';
import { fileCheckpoint, inspectCheckpoint } from '../src/node/index.js';
import { DivergenceGuard } from '../src/trainer/divergence-guard.js';
import { patternData, tinyFamily } from './fixtures/tiny-family.js';

const registry = new FamilyRegistry();
registry.register(tinyFamily);
const data = patternData(320);
const build = () => registry.create('tiny', {}, { seed: 3, dataShape: [16] });
const guard = (startLoss?: number) => new DivergenceGuard({ weightGrowth: 1000, lossRise: 2.5, window: 4 }, 100, startLoss);

beforeAll(async () => {
  await useBackend('wasm');
});

describe('the divergence guard', () => {
  it('stops a run whose weights explode while the clipped loss stays finite', async () => {
    const ae = build();
    const error = await fit(ae, data, { epochs: 3, batchSize: 32, learningRate: 1e6 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DivergenceError);
    const { epoch, batch, sign, message } = error as DivergenceError;
    expect([epoch, batch <= 3]).toEqual([0, true]);
    expect(sign.kind).toBe('weights');
    expect(message).toMatch(/^training diverged at epoch 1, batch \d: the weights grew to an RMS of .* from .*; the learning rate \(1000000\) is likely too high$/);
    ae.dispose();
  });

  it('can be turned off, and then the same run ends with weights of 1e5 and more', async () => {
    const ae = build();
    await fit(ae, data, { epochs: 1, batchSize: 32, learningRate: 1e6, divergence: false }).catch((e: unknown) => {
      // Without the guard the run may also end in NaN: that guard stays.
      expect(e).toBeInstanceOf(NonFiniteLossError);
    });
    expect(Math.max(...ae.model.getWeights().map((w) => tf.max(tf.abs(w)).dataSync()[0]))).toBeGreaterThan(1e5);
    ae.dispose();
  });

  it('judges the windowed loss: a rise above the start is divergence, noise and small spikes near zero are not', () => {
    const rising = guard();
    const seen = [0.7, 0.6, 0.5, 0.4, 0.8, 1.4, 2.0, 2.2].map((loss) => rising.observe({ loss }));
    // The mean of the last four, 1.6, is above 2.5 times the lowest mean (0.55) and 1.5 times the first loss.
    expect(seen.findIndex((s) => s !== undefined)).toBe(7);
    expect(seen[7]).toMatchObject({ kind: 'loss', startLoss: 0.7 });
    const sign = seen[7] as { loss: number; bestLoss: number };
    expect([sign.loss, sign.bestLoss].map((x) => x.toFixed(6))).toEqual(['1.600000', '0.550000']);

    const converged = guard();
    for (const loss of [0.7, 0.3, 0.05, 0.01, 0.005, 0.004, 0.004, 0.004]) expect(converged.observe({ loss })).toBeUndefined();
    // An Adam spike ten times the lowest loss, still far below the untrained model's: not divergence.
    for (const loss of [0.05, 0.05, 0.05, 0.05]) expect(converged.observe({ loss })).toBeUndefined();

    const negative = guard();
    for (const loss of [-1, -2, -3, -0.5, 5, 5, 5, 5]) expect(negative.observe({ loss })).toBeUndefined();

    const resumed = guard(0.7);
    for (const loss of [0.2, 0.2, 0.2]) expect(resumed.observe({ loss })).toBeUndefined();
    expect(resumed.observe({ loss: 0.2 })).toBeUndefined();
  });

  it('judges the weights against their RMS at the start of the session, with a floor for near-zero starts', () => {
    const weights = guard();
    expect(weights.observe({ rms: 0.05, loss: 0.7 })).toBeUndefined();
    expect(weights.observe({ rms: 40, loss: 0.7 })).toBeUndefined();
    expect(weights.observe({ rms: 51, loss: 0.7 })).toMatchObject({ kind: 'weights', rms: 51, startRms: 0.05 });
    expect(guard().observe({ rms: Number.NaN })).toMatchObject({ kind: 'weights' });
    const zero = guard();
    expect(zero.observe({ rms: 0 })).toBeUndefined();
    expect(zero.observe({ rms: 5 })).toBeUndefined();
    expect(zero.observe({ rms: 11 })).toMatchObject({ kind: 'weights' });
  });
});

describe('inspectCheckpoint', () => {
  it('tells a good checkpoint from a missing, unreadable or diverged one', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'aekit-inspect-'));
    expect(await inspectCheckpoint(join(dir, 'none'))).toEqual({ state: 'missing' });

    const ae = build();
    await fit(ae, data, { epochs: 1, batchSize: 64, checkpoint: fileCheckpoint(join(dir, 'good'), { dataShape: [16] }) });
    expect(await inspectCheckpoint(join(dir, 'good'))).toMatchObject({ state: 'good', epoch: 1, batch: 0 });

    // Weights of 1e9 saved by a writer without the guard (an older aekit).
    ae.model.setWeights(ae.model.getWeights().map((w) => tf.fill(w.shape, 1e9)));
    const optimizer = tf.train.sgd(0.1);
    await fileCheckpoint(join(dir, 'diverged'), { dataShape: [16] }).save({
      progress: { epoch: 2, batch: 0, history: [], partial: { lossSum: 0, termSums: {}, seen: 0, seconds: 0 } },
      autoencoder: ae,
      optimizer,
      reason: 'interval',
    });
    expect(await inspectCheckpoint(join(dir, 'diverged'))).toMatchObject({ state: 'diverged', maxAbs: 1e9 });

    await writeFile(join(dir, 'diverged', 'state.json'), 'null');
    expect(await inspectCheckpoint(join(dir, 'diverged'))).toMatchObject({ state: 'unreadable', problem: expect.stringMatching(/state\.json: holds null/) });
    ae.dispose();
    optimizer.dispose();
  });
});
