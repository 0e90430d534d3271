import { mkdtemp, readdir, readFile, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DataFileError, FamilyRegistry, fit, tf, useBackend } from '../src/index.js';
import { loadAutoencoder, readModelMetadata, saveAutoencoder } from '../src/node/index.js';
import { patternData, tinyFamily } from './fixtures/tiny-family.js';

const registry = new FamilyRegistry();
registry.register(tinyFamily);

beforeAll(async () => {
  await useBackend('wasm');
});

async function trainedModelDir() {
  const dir = await mkdtemp(join(tmpdir(), 'aekit-model-'));
  const ae = registry.create('tiny', { latentDim: 3 }, { seed: 1, dataShape: [16] });
  await fit(ae, patternData(64), { epochs: 1, batchSize: 32 });
  await saveAutoencoder(ae, dir, [16]);
  return { dir, ae };
}

describe('saveAutoencoder / loadAutoencoder', () => {
  it('round-trips the weights, family and config', async () => {
    const { dir, ae } = await trainedModelDir();
    const loaded = await loadAutoencoder(dir, registry);
    expect(loaded.family).toBe('tiny');
    expect(loaded.config).toEqual({ latentDim: 3, hidden: 16 });
    const x = patternData(5).batch([0, 1, 2, 3, 4]);
    expect(Array.from(loaded.reconstruct(x).dataSync())).toEqual(Array.from(ae.reconstruct(x).dataSync()));
    expect(Array.from(loaded.encode(x).dataSync())).toEqual(Array.from(ae.encode(x).dataSync()));
    const meta = await readModelMetadata(dir);
    expect(meta.latentShape).toEqual([3]);
  });

  it('keeps the preprocessing in the metadata, none when not given, reads an older table encoding as one, and refuses a broken one', async () => {
    const { dir, ae } = await trainedModelDir();
    expect((await readModelMetadata(dir)).preprocessing).toBeUndefined();
    const scaler = { mean: Array.from({ length: 16 }, (_, i) => i / 2), std: Array(16).fill(2) };
    const preprocessing = { kind: 'table' as const, version: 1 as const, columns: [{ name: 'a', kind: 'numeric' as const, fill: 3 }], scaler, missing: 'impute' as const, impute: 'mean' as const };
    await saveAutoencoder(ae, dir, [16], { preprocessing });
    expect((await readModelMetadata(dir)).preprocessing).toEqual(preprocessing);

    // A model saved before the preprocessing description kept `encoding`.
    const file = join(dir, 'model.json');
    const json = JSON.parse(await readFile(file, 'utf8'));
    delete json.userDefinedMetadata.aekit.preprocessing;
    json.userDefinedMetadata.aekit.encoding = { scaler, table: { columns: [{ name: 'a', kind: 'numeric' }], label: 'y', labelClasses: ['0', '1'] } };
    await writeFile(file, JSON.stringify(json));
    const upgraded = await readModelMetadata(dir);
    expect(upgraded.preprocessing).toEqual({ kind: 'table', version: 1, columns: [{ name: 'a', kind: 'numeric' }], scaler, missing: 'skip', label: 'y', labelClasses: ['0', '1'] });
    expect(upgraded).not.toHaveProperty('encoding');

    json.userDefinedMetadata.aekit.preprocessing = { kind: 'image', version: 1, width: 0 };
    await writeFile(file, JSON.stringify(json));
    await expect(readModelMetadata(dir)).rejects.toThrow(new RegExp(`^${file}: has a bad preprocessing description: preprocessing\\.width: `));
  });

  it('keeps the anomaly threshold, and names its field when a damaged file holds a bad one', async () => {
    const { dir, ae } = await trainedModelDir();
    const threshold = { value: 0.125, window: 0.5, percentile: 99, chosenOn: 'validation points' };
    await saveAutoencoder(ae, dir, [16], { threshold });
    expect((await readModelMetadata(dir)).threshold).toEqual(threshold);
    const file = join(dir, 'model.json');
    const json = JSON.parse(await readFile(file, 'utf8'));
    for (const [bad, field] of [[{ ...threshold, value: 'high' }, 'value'], [{ ...threshold, percentile: 150 }, 'percentile'], [{ value: 1 }, 'percentile']] as const) {
      json.userDefinedMetadata.aekit.threshold = bad;
      await writeFile(file, JSON.stringify(json));
      await expect(readModelMetadata(dir)).rejects.toThrow(new RegExp(`^${file}: .*threshold\\.${field}`));
    }
  });

  it('writes the tfjs layers format that tf.loadLayersModel reads', async () => {
    const { dir, ae } = await trainedModelDir();
    const json = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8'));
    expect(json.format).toBe('layers-model');
    const weightsPath = json.weightsManifest[0].paths[0];
    const bytes = await readFile(join(dir, weightsPath));
    const model = await tf.loadLayersModel(
      tf.io.fromMemory({
        modelTopology: json.modelTopology,
        weightSpecs: json.weightsManifest[0].weights,
        weightData: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length),
      }),
    );
    const x = patternData(3).batch([0, 1, 2]);
    const a = (model.predict(x) as tf.Tensor).dataSync();
    const b = ae.reconstruct(x).dataSync();
    expect(Math.max(...a.map((v, i) => Math.abs(v - b[i])))).toBeLessThan(1e-6);
  });

  it('leaves exactly one weights file after saving again', async () => {
    const { dir, ae } = await trainedModelDir();
    await fit(ae, patternData(64), { epochs: 1, batchSize: 32 });
    await saveAutoencoder(ae, dir, [16]);
    const files = (await readdir(dir)).sort();
    expect(files).toHaveLength(2);
    expect(files[0]).toBe('model.json');
    expect(files[1]).toMatch(/^weights-[0-9a-f]{16}\.bin$/);
  });

  it('names the file when weights are truncated or corrupt, or model.json is broken', async () => {
    const { dir } = await trainedModelDir();
    const weights = (await readdir(dir)).find((f) => f.endsWith('.bin'))!;
    const original = await readFile(join(dir, weights));

    await truncate(join(dir, weights), 100);
    const truncated = await loadAutoencoder(dir, registry).catch((e: unknown) => e);
    expect(truncated).toBeInstanceOf(DataFileError);
    expect((truncated as Error).message).toContain(weights);
    expect((truncated as Error).message).toMatch(/truncated/);

    const flipped = Buffer.from(original);
    flipped[10] ^= 0xff;
    await writeFile(join(dir, weights), flipped);
    await expect(loadAutoencoder(dir, registry)).rejects.toThrow(/does not match the checksum/);

    await writeFile(join(dir, 'model.json'), '{"format": "layers-mo');
    await expect(loadAutoencoder(dir, registry)).rejects.toThrow(/model\.json: is not valid JSON/);
    await expect(loadAutoencoder(join(dir, 'missing'), registry)).rejects.toThrow(/missing.model\.json: cannot read the model \(ENOENT\)/);
  });
});
