import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { registry, tf, useBackend, type Autoencoder } from '@aekit/core';
import { exportAutoencoder, MODEL_PARTS } from '@aekit/export-onnx';
import { plugin as conv } from '@aekit/models-conv';
import { plugin as vae } from '@aekit/models-vae';
import { expect } from 'vitest';

/** Shape of one test item. */
export const DATA_SHAPE = [8, 8, 1];
/** Values in one test item. */
export const ITEM = 64;

/** What {@link writeServedModels} wrote, and tfjs' answers to check the server against. */
export interface ServedFixture {
  /** The directory holding conv.onnx, conv.encoder.onnx, conv.decoder.onnx and the same for vae. */
  dir: string;
  /** tfjs' reconstruction of `items` by the conv model, flat. */
  reconstruct(items: Float32Array, count: number): Float32Array;
}

/**
 * Exports two of aekit's own families, untrained, for 8×8×1 data, all
 * three parts each, into a fresh temporary directory: `conv` (a small
 * convolutional autoencoder, code `[2, 2, 2]`) and `vae` (the dense VAE,
 * whose full model gives `reconstruction`, `mean` and `logVar`, and whose
 * encoder `mean` and `logVar`). The tests that use it check shapes,
 * routing and protocol, and compare numbers with tfjs.
 */
export async function writeServedModels(): Promise<ServedFixture> {
  await useBackend('wasm');
  registry.use(conv);
  registry.use(vae);
  const dir = await mkdtemp(join(tmpdir(), 'aekit-serve-'));
  const configs = { conv: { encoderFilters: [4, 2] }, vae: { hidden: [12], latentDim: 2 } };
  let convModel: Autoencoder | undefined;
  for (const [name, config] of Object.entries(configs)) {
    const autoencoder = registry.create(name, config, { seed: 5, dataShape: DATA_SHAPE });
    for (const part of MODEL_PARTS) {
      await writeFile(join(dir, part === 'full' ? `${name}.onnx` : `${name}.${part}.onnx`), exportAutoencoder(autoencoder, { part, dataShape: DATA_SHAPE }));
    }
    if (name === 'conv') convModel = autoencoder;
    else autoencoder.dispose();
  }
  return {
    dir,
    reconstruct: (items, count) => tf.tidy(() => convModel!.reconstruct(tf.tensor(items, [count, ...DATA_SHAPE])).dataSync() as Float32Array),
  };
}

/** Largest absolute difference of two equally long arrays. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}

/** A value of the Prometheus text format: `name{labels} value`, 0 when the series is absent. */
export function metricValue(text: string, name: string, labels: Record<string, string> = {}): number {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const match = /^([^{\s]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const found = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([k, v]) => found[k] === v)) return Number(match[3]);
  }
  return 0;
}
