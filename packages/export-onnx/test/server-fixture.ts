import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { registry, useBackend } from '@aekit/core';
import { exportAutoencoder, MODEL_PARTS, partModel } from '../src/index.js';
import { testConvFamily, testVaeFamily } from './fixtures/families.js';
import { tfjsOutputs } from './helpers.js';

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
 * Exports an untrained small conv and VAE autoencoder (8×8×1 data), all
 * three parts each, into a fresh temporary directory. The tests that use
 * it check shapes, routing and protocol, and compare numbers with tfjs.
 */
export async function writeServedModels(): Promise<ServedFixture> {
  await useBackend('wasm');
  registry.register(testConvFamily);
  registry.register(testVaeFamily);
  const dir = await mkdtemp(join(tmpdir(), 'aekit-onnx-v2-'));
  let conv: ReturnType<typeof partModel> | undefined;
  for (const [name, family] of [
    ['conv', 'onnx-test-conv'],
    ['vae', 'onnx-test-vae'],
  ] as const) {
    const autoencoder = registry.create(family, {}, { seed: 5, dataShape: DATA_SHAPE });
    for (const part of MODEL_PARTS) {
      await writeFile(join(dir, part === 'full' ? `${name}.onnx` : `${name}.${part}.onnx`), exportAutoencoder(autoencoder, { part, dataShape: DATA_SHAPE }));
    }
    if (name === 'conv') conv = partModel(autoencoder, 'full');
  }
  return {
    dir,
    reconstruct: (items, count) => tfjsOutputs(conv!, [{ data: items, shape: [count, ...DATA_SHAPE] }])[0].data,
  };
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
