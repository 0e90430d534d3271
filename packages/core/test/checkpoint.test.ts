import { mkdtemp, readdir, readFile, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DataFileError, FamilyRegistry, fit, FusedAdamOptimizer, useBackend, type Autoencoder, type FitOptions } from '../src/index.js';
import { fileCheckpoint, loadCheckpoint } from '../src/node/index.js';
import { patternData, tinyFamily } from './fixtures/tiny-family.js';

const registry = new FamilyRegistry();
registry.register(tinyFamily);
const data = patternData(300);
const build = () => registry.create('tiny', { latentDim: 6 }, { seed: 11, dataShape: [16] });
const weightsOf = (ae: Autoencoder) => ae.model.getWeights().map((w) => Array.from(w.dataSync()));
const settings: FitOptions = {
  epochs: 4,
  batchSize: 32,
  seed: 5,
  validationSplit: 0.2,
  noise: { type: 'gaussian', factor: 0.3 },
  earlyStopping: { patience: 10 },
};

beforeAll(async () => {
  await useBackend('wasm');
});

describe('checkpoints', () => {
  it('a run interrupted mid-epoch and resumed ends with exactly the weights of an uninterrupted run', async () => {
    const reference = build();
    await fit(reference, data, settings);
    const expected = weightsOf(reference);

    const dir = await mkdtemp(join(tmpdir(), 'aekit-ckpt-'));
    const interrupted = build();
    const controller = new AbortController();
    const first = await fit(interrupted, data, {
      ...settings,
      signal: controller.signal,
      checkpoint: fileCheckpoint(dir, { dataShape: [16], run: { note: 'kept' } }),
      callbacks: [{ onBatchEnd: (b) => void (b.epoch === 1 && b.batch === 3 && controller.abort()) }],
    });
    expect(first.stopReason).toBe('aborted');
    expect(first.history).toHaveLength(1);

    const restored = await loadCheckpoint(dir, registry);
    expect(restored.reason).toBe('aborted');
    expect(restored.run).toEqual({ note: 'kept' });
    expect(restored.optimizer).toBeInstanceOf(FusedAdamOptimizer);
    expect(restored.progress).toMatchObject({ epoch: 1, batch: 4 });
    expect(weightsOf(restored.autoencoder)).toEqual(weightsOf(interrupted));
    const second = await fit(restored.autoencoder, data, {
      ...settings,
      optimizer: restored.optimizer,
      resume: restored.progress,
      resumeBestWeights: restored.bestWeights,
    });
    expect(second.stopReason).toBe('completed');
    expect(second.history.map((r) => r.epoch)).toEqual([0, 1, 2, 3]);
    expect(weightsOf(restored.autoencoder)).toEqual(expected);
    // Training time spans both sessions: the first epoch and a part of the second were trained before the interruption.
    expect(second.seconds).toBeCloseTo(second.history.reduce((sum, r) => sum + r.seconds, 0), 9);
    expect(second.seconds).toBeGreaterThan(second.sessionSeconds);
    expect(second.samplesPerSecond).toBeGreaterThan(0);

    // Resuming a finished run trains nothing, and still reports the run's time.
    const finished = await fit(restored.autoencoder, data, { ...settings, resume: { epoch: 4, batch: 0, history: second.history, partial: { lossSum: 0, termSums: {}, seen: 0, seconds: 0 } } });
    expect(finished.sessionSeconds).toBe(0);
    expect(finished.seconds).toBeCloseTo(second.seconds, 9);
  });

  it('keeps early stopping before its first epoch ends (an infinite best, saved as null) resumable', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'aekit-ckpt-'));
    const controller = new AbortController();
    await fit(build(), data, {
      ...settings,
      signal: controller.signal,
      checkpoint: fileCheckpoint(dir, { dataShape: [16] }),
      callbacks: [{ onBatchEnd: (b) => void (b.batch === 2 && controller.abort()) }],
    });
    expect(JSON.parse(await readFile(join(dir, 'state.json'), 'utf8')).progress.earlyStopping.best).toBeNull();
    const restored = await loadCheckpoint(dir, registry);
    expect(restored.progress.earlyStopping?.best).toBe(Number.POSITIVE_INFINITY);
    restored.autoencoder.dispose();
    restored.optimizer.dispose();
  });

  it('keeps one set of files, and names the file when a checkpoint is truncated or corrupt', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'aekit-ckpt-'));
    await fit(build(), data, { epochs: 3, batchSize: 64, checkpoint: fileCheckpoint(dir, { dataShape: [16] }) });
    const files = (await readdir(dir)).sort();
    expect(files.filter((f) => f.startsWith('weights-'))).toHaveLength(1);
    expect(files.filter((f) => f.startsWith('optimizer-'))).toHaveLength(1);
    expect(files).toContain('state.json');
    const state = JSON.parse(await readFile(join(dir, 'state.json'), 'utf8'));
    expect(state.progress.epoch).toBe(3);

    const weights = files.find((f) => f.startsWith('optimizer-'))!;
    await truncate(join(dir, weights), 40);
    const error = await loadCheckpoint(dir, registry).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataFileError);
    expect((error as Error).message).toContain(weights);
    await writeFile(join(dir, 'state.json'), '{"format": "aekit-check');
    await expect(loadCheckpoint(dir, registry)).rejects.toThrow(/state\.json: is not valid JSON/);
    await expect(loadCheckpoint(join(dir, 'none'), registry)).rejects.toThrow(/state\.json: no checkpoint to resume from \(ENOENT\)/);
  });
});
