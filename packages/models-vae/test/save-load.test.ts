import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { fit, tf, useBackend } from '@aekit/core';
import { loadAutoencoder, saveAutoencoder } from '@aekit/core/node';
import { VariationalAutoencoder } from '../src/index.js';
import { createVae, mnistSubset, registry } from './helpers.js';

beforeAll(async () => {
  await useBackend('wasm');
});

const values = (t: tf.Tensor) => Array.from(t.dataSync());

describe('saveAutoencoder / loadAutoencoder', () => {
  it.each([
    ['vae', { latentDim: 3, hidden: [32, 16] }, [784]],
    ['conv-vae', { latentDim: 3, filters: [4, 8], denseUnits: 8 }, [28, 28, 1]],
  ] as const)('%s keeps every output, the log-variance head included', async (family, config, shape) => {
    const vae = createVae(family, config, [28, 28, 1], 9);
    const { train, test } = await mnistSubset(100, 4, shape);
    await fit(vae, train, { epochs: 1, batchSize: 50 });
    const dir = await mkdtemp(join(tmpdir(), 'aekit-vae-'));
    await saveAutoencoder(vae, dir, [28, 28, 1]);

    const loaded = await loadAutoencoder(dir, registry);
    expect(loaded).toBeInstanceOf(VariationalAutoencoder);
    const copy = loaded as VariationalAutoencoder;
    expect(copy.family).toBe(family);
    expect(copy.config).toEqual(vae.config);
    const x = test.batch([0, 1, 2, 3]);
    const [a, b] = [vae.encodeDistribution(x), copy.encodeDistribution(x)];
    expect(values(b.mean)).toEqual(values(a.mean));
    expect(values(b.logVar)).toEqual(values(a.logVar));
    expect(values(copy.reconstruct(x))).toEqual(values(vae.reconstruct(x)));
    expect(values(copy.sample(3, 5))).toEqual(values(vae.sample(3, 5)));
    expect(values(copy.forward(x, { training: false, seed: 2 }).output)).toEqual(values(vae.forward(x, { training: false, seed: 2 }).output));

    const json = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8'));
    const names: string[] = json.weightsManifest[0].weights.map((w: { name: string }) => w.name);
    expect(names.some((n) => n.startsWith('z_log_var'))).toBe(true);
    tf.dispose([x, a.mean, a.logVar, b.mean, b.logVar]);
    vae.dispose();
    copy.dispose();
  });
});
