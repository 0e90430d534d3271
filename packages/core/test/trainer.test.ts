import { beforeAll, describe, expect, it } from 'vitest';
import {
  composeLoss,
  binaryCrossEntropy,
  evaluate,
  fit,
  FamilyRegistry,
  NonFiniteLossError,
  tf,
  useBackend,
  type Autoencoder,
  type LossTerm,
} from '../src/index.js';
import { patternData, tinyFamily } from './fixtures/tiny-family.js';

const registry = new FamilyRegistry();
registry.register(tinyFamily);
const build = (seed = 7) => registry.create('tiny', { latentDim: 8 }, { seed, dataShape: [16] });
const weightsOf = (ae: Autoencoder) => ae.model.getWeights().map((w) => Array.from(w.dataSync()));

beforeAll(async () => {
  await useBackend('wasm');
});

describe('fit', () => {
  it('cuts the loss well below the untrained loss', async () => {
    const data = patternData(512);
    const ae = build();
    const before = await evaluate(ae, data);
    const result = await fit(ae, data, { epochs: 40, batchSize: 32, learningRate: 0.01, seed: 1 });
    const after = await evaluate(ae, data);
    expect(after.loss).toBeLessThan(before.loss * 0.4);
    expect(result.history).toHaveLength(40);
    expect(result.history[39].loss).toBeLessThan(result.history[0].loss);
    expect(result.samplesPerSecond).toBeGreaterThan(0);
    ae.dispose();
  });

  it('gives identical weights for the same seed and different ones for another seed', async () => {
    const data = patternData(256);
    const train = async (seed: number) => {
      const ae = build(seed);
      await fit(ae, data, { epochs: 2, batchSize: 32, seed, noise: { type: 'gaussian', factor: 0.2 } });
      const w = weightsOf(ae);
      ae.dispose();
      return w;
    };
    const a = await train(3);
    const b = await train(3);
    const c = await train(4);
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
  });

  it('keeps the number of live tensors flat across epochs', async () => {
    const data = patternData(256);
    const ae = build();
    const counts: number[] = [];
    await fit(ae, data, {
      epochs: 5,
      batchSize: 64,
      validationSplit: 0.25,
      earlyStopping: { patience: 100 },
      callbacks: [{ onEpochEnd: () => void counts.push(tf.memory().numTensors) }],
    });
    // Epoch 1 creates the optimizer's slots and the best-weights copy; after that nothing may grow.
    expect(new Set(counts.slice(1)).size).toBe(1);
    ae.dispose();
  });

  it('emits batch and epoch events with validation losses', async () => {
    const data = patternData(200);
    const ae = build();
    const batches: number[] = [];
    const valLosses: (number | undefined)[] = [];
    await fit(ae, data, {
      epochs: 2,
      batchSize: 64,
      validationSplit: 0.2,
      callbacks: [{ onBatchEnd: (b) => void batches.push(b.batch), onEpochEnd: (r) => void valLosses.push(r.valLoss) }],
    });
    expect(batches).toEqual([0, 1, 2, 0, 1, 2]);
    expect(valLosses.every((v) => typeof v === 'number' && Number.isFinite(v))).toBe(true);
    ae.dispose();
  });

  it('trains on noisy inputs against clean targets', async () => {
    const data = patternData(64);
    const ae = build();
    const gaps: number[] = [];
    const spy: LossTerm = {
      name: 'spy',
      compute(pass, target) {
        gaps.push(tf.tidy(() => tf.max(tf.abs(tf.sub(pass.input, target))).dataSync()[0]));
        return tf.scalar(0);
      },
    };
    Object.defineProperty(ae, 'loss', { value: composeLoss(binaryCrossEntropy(), spy) });
    await fit(ae, data, { epochs: 1, batchSize: 64, noise: { type: 'gaussian', factor: 0.5 } });
    expect(gaps[0]).toBeGreaterThan(0.1);
    gaps.length = 0;
    await fit(ae, data, { epochs: 1, batchSize: 64 });
    expect(gaps[0]).toBe(0);
    ae.dispose();
  });

  it('feeds paired inputs of a dataset to the model, with batch() as the target', async () => {
    const clean = patternData(64);
    const paired = Object.assign(Object.create(clean), {
      inputs: (indices: ArrayLike<number>) => tf.tidy(() => tf.sub(1, clean.batch(indices))),
    });
    const ae = build();
    const seen: number[] = [];
    const spy: LossTerm = {
      name: 'spy',
      compute(pass, target) {
        // For the inverted pairs, input + target is exactly 1 everywhere.
        seen.push(tf.tidy(() => tf.max(tf.abs(tf.sub(tf.add(pass.input, target), 1))).dataSync()[0]));
        return tf.scalar(0);
      },
    };
    Object.defineProperty(ae, 'loss', { value: composeLoss(binaryCrossEntropy(), spy) });
    await fit(ae, paired, { epochs: 1, batchSize: 32, noise: { type: 'gaussian', factor: 0.5 } });
    await evaluate(ae, paired);
    expect(seen.length).toBe(3);
    expect(Math.max(...seen)).toBeLessThan(1e-6);
    ae.dispose();
  });

  it('stops early when the monitored loss stops improving and restores the best weights', async () => {
    const data = patternData(128);
    const ae = build();
    const result = await fit(ae, data, {
      epochs: 50,
      batchSize: 128,
      learningRate: 0.5,
      optimizer: 'sgd',
      earlyStopping: { monitor: 'loss', patience: 2, minDelta: 10 },
    });
    expect(result.stopReason).toBe('early-stopping');
    expect(result.history).toHaveLength(3);
    ae.dispose();
  });

  it('puts back the best epoch\'s weights when the epochs run out too, and says so', async () => {
    const data = patternData(64);
    const ae = build();
    // A constant that rises after epoch 1: the gradients are the plain BCE's, the monitored loss is best at epoch 1.
    const rising: LossTerm = { name: 'rising', compute: (_pass, _target, state) => tf.scalar(state.epoch >= 2 ? 10 : 0) };
    Object.defineProperty(ae, 'loss', { value: composeLoss(binaryCrossEntropy(), rising) });
    const snapshots: number[][][] = [];
    const result = await fit(ae, data, {
      epochs: 4,
      batchSize: 32,
      earlyStopping: { monitor: 'loss', patience: 100 },
      // The rise is made up to move the best epoch; the divergence guard would rightly stop it.
      divergence: false,
      callbacks: [{ onEpochEnd: () => void snapshots.push(weightsOf(ae)) }],
    });
    expect(result).toMatchObject({ stopReason: 'completed', bestEpoch: 1, restoredBestWeights: true });
    expect(weightsOf(ae)).toEqual(snapshots[1]);
    const plain = await fit(ae, data, { epochs: 1, batchSize: 32 });
    expect(plain.restoredBestWeights).toBe(false);
    ae.dispose();
  });

  it('stops on a non-finite loss, naming epoch and batch, without touching the weights', async () => {
    const data = patternData(96);
    const ae = build();
    let calls = 0;
    const poisoned: LossTerm = {
      name: 'poison',
      compute: () => tf.scalar(++calls === 5 ? Number.NaN : 0),
    };
    Object.defineProperty(ae, 'loss', { value: composeLoss(binaryCrossEntropy(), poisoned) });
    let snapshot: number[][] = [];
    const error = await fit(ae, data, {
      epochs: 3,
      batchSize: 32,
      callbacks: [{ onBatchEnd: () => void (snapshot = weightsOf(ae)) }],
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NonFiniteLossError);
    expect((error as Error).message).toMatch(/loss became NaN at epoch 2, batch 2/);
    expect(weightsOf(ae)).toEqual(snapshot);
    expect(weightsOf(ae).flat().every(Number.isFinite)).toBe(true);
    ae.dispose();
  });

  it('refuses invalid options with the field name', async () => {
    const ae = build();
    const data = patternData(8);
    await expect(fit(ae, data, { epochs: 0 })).rejects.toThrow(/^epochs: /);
    await expect(fit(ae, data, { batchSize: 2.5 })).rejects.toThrow(/^batchSize: /);
    await expect(fit(ae, data, { optimizer: 'adamw' })).rejects.toThrow(/^optimizer: /);
    await expect(fit(ae, data, { validationSplit: 1.5 })).rejects.toThrow(/^validationSplit: /);
    ae.dispose();
  });

  it('stops after the current batch when aborted', async () => {
    const data = patternData(256);
    const ae = build();
    const controller = new AbortController();
    const result = await fit(ae, data, {
      epochs: 5,
      batchSize: 32,
      signal: controller.signal,
      callbacks: [{ onBatchEnd: (b) => void (b.batch === 2 && controller.abort()) }],
    });
    expect(result.stopReason).toBe('aborted');
    expect(result.history).toHaveLength(0);
    ae.dispose();
  });
});
