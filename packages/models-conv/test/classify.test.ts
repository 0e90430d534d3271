import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataFileError, fit, registry, tf, useBackend, type Autoencoder, type CommandIO, type NoiseSpec, runPluginCommand } from '@aekit/core';
import { saveAutoencoder } from '@aekit/core/node';
import { loadMnist, type ByteImageDataset } from '@aekit/data-mnist';
import { classifyCommand, runClassifyExperiment, type ClassifyResult } from '../src/index.js';
import { build } from './helpers.js';

const noise: NoiseSpec = { type: 'gaussian', factor: 0.5 };
let train: ByteImageDataset;
let test: ByteImageDataset;
let denoiser: Autoencoder;
let dir: string;

/** MNIST as the `ae` tool supplies it to commands: a dataset provider in core's registry (this package imports no data package). */
const mnistProvider = {
  name: 'mnist',
  description: 'MNIST for the tests',
  async load(options: { trainLimit?: number; testLimit?: number }) {
    const mnist = await loadMnist({ trainLimit: options.trainLimit, testLimit: options.testLimit });
    return { train: mnist.train, test: mnist.test, source: mnist.dir };
  },
};

beforeAll(async () => {
  registry.addDataset(mnistProvider);
  dir = await mkdtemp(join(tmpdir(), 'aekit-classify-'));
  await useBackend('wasm');
  ({ train, test } = await loadMnist({ trainLimit: 1000, testLimit: 300 }));
  // A small conv denoiser (7x7x8 code), briefly trained, to keep the test fast.
  denoiser = build('conv', { encoderFilters: [8, 8] });
  await fit(denoiser, train, { epochs: 2, batchSize: 32, learningRate: 0.003, seed: 1, noise });
  await saveAutoencoder(denoiser, join(dir, 'model'), [28, 28, 1]);
});

afterAll(async () => {
  denoiser?.dispose();
  await rm(dir, { recursive: true, force: true });
});

describe('runClassifyExperiment', () => {
  it('trains classifiers on images and on codes that really learn, and leaks no tensors', async () => {
    const tensors = tf.memory().numTensors;
    const result = await runClassifyExperiment({ autoencoder: denoiser, train, test, noise, epochs: 3, batchSize: 32, seed: 1 });
    expect(tf.memory().numTensors).toBe(tensors);
    expect(result).toMatchObject({ noise: 'gaussian:0.5', trainImages: 1000, testImages: 300, epochs: 3, batchSize: 32, seed: 1 });
    const accuracy = Object.fromEntries(result.rows.map((r) => [r.input, r.accuracy]));
    expect(Object.keys(accuracy)).toEqual(['clean images', 'noisy images', 'denoised noisy images', 'codes of noisy images']);
    expect(result.rows.map((r) => r.trainedOn)).toEqual(['clean images', 'clean images', 'clean images', 'codes of noisy images']);
    // Chance is 10%.
    expect(accuracy['clean images']).toBeGreaterThan(0.7);
    expect(accuracy['codes of noisy images']).toBeGreaterThan(0.3);
    expect(accuracy['noisy images']).toBeLessThan(accuracy['clean images'] - 0.2);
    for (const value of Object.values(accuracy)) expect(value).toBeLessThanOrEqual(1);
  });
});

/** No options given: the declaration fills in the defaults. */
const defaults: Record<string, string> = {};

function fakeIO() {
  const lines: string[] = [];
  const bars: { label: string; total: number; done: number; stopped: boolean }[] = [];
  const io: CommandIO = {
    log: (line) => void lines.push(line),
    backend: 'wasm',
    figures: () => {
      throw new Error('classify draws no figures');
    },
    progress(label, total) {
      const bar = { label, total, done: 0, stopped: false };
      bars.push(bar);
      return { update: (done) => void (bar.done = done), stop: () => void (bar.stopped = true) };
    },
  };
  return { io, lines, bars };
}

describe('ae classify', () => {
  it("loads a run, prints the accuracy table and writes it to metrics.json, with the run's noise by default", async () => {
    // The `noise` field of the run's metrics.json, as `ae train` writes it.
    await writeFile(join(dir, 'metrics.json'), JSON.stringify({ family: 'conv', noise: { type: 'mask', amount: 0.3 } }));
    const { io, lines, bars } = fakeIO();
    const options = { ...defaults, epochs: '1', batchSize: '50', limit: '200', testLimit: '100' };
    await runPluginCommand(classifyCommand, [dir], options, io);

    const metrics = JSON.parse(await readFile(join(dir, 'classify', 'metrics.json'), 'utf8')) as ClassifyResult & Record<string, unknown>;
    expect(metrics).toMatchObject({ command: 'classify', family: 'conv', backend: 'wasm', noise: 'mask:0.3', trainImages: 200, testImages: 100 });
    expect(metrics.rows).toHaveLength(4);
    expect(lines[0]).toMatch(/^classify: 'conv' autoencoder from .*; 200 training, 100 test images; noise mask:0.3; backend wasm$/);
    expect(lines).toContain('| classifier input | trained on | test accuracy |');
    expect(lines.some((l) => /^\| denoised noisy images \| clean images \| \d+\.\d% \|$/.test(l))).toBe(true);
    expect(bars).toEqual([
      { label: 'classifier on clean images', total: 4, done: 4, stopped: true },
      { label: 'classifier on codes', total: 4, done: 4, stopped: true },
    ]);
  });

  it('refuses a directory without a model and bad options, naming them', async () => {
    const { io } = fakeIO();
    const empty = join(dir, 'empty');
    await expect(runPluginCommand(classifyCommand, [empty], defaults, io)).rejects.toThrow(DataFileError);
    await expect(runPluginCommand(classifyCommand, [empty], defaults, io)).rejects.toThrow(`${join(empty, 'model.json')}: no saved autoencoder`);
    await expect(runPluginCommand(classifyCommand, [dir], { ...defaults, epochs: '0' }, io)).rejects.toThrow(/^--epochs: /);
    await expect(runPluginCommand(classifyCommand, [dir], { ...defaults, limit: 'all' }, io)).rejects.toThrow(/^--limit: /);
    await expect(runPluginCommand(classifyCommand, [dir], { ...defaults, noise: 'pink:1' }, io)).rejects.toThrow(/^--noise: unknown noise type 'pink'/);
    await expect(runPluginCommand(classifyCommand, [], defaults, io)).rejects.toThrow(/^run: /);
  });
});
