import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, registry, useBackend, type CommandIO, runPluginCommand } from '@aekit/core';
import { saveAutoencoder } from '@aekit/core/node';
import { plugin, sampleCommand } from '../src/index.js';
import { createVae, recordingFigures } from './helpers.js';

beforeAll(async () => {
  await useBackend('wasm');
  registry.use(plugin); // the command loads models through the shared registry, as `ae` does
});

function io(figures: ReturnType<typeof recordingFigures>, lines: string[]): CommandIO {
  return {
    log: (line) => lines.push(line),
    backend: 'wasm',
    figures: () => figures.writer,
    progress: () => ({ update() {}, stop() {} }),
  };
}

describe('ae vae-sample', () => {
  it('draws seeded digits from a saved run', async () => {
    const runDir = await mkdtemp(join(tmpdir(), 'aekit-vae-run-'));
    const vae = createVae('vae', { hidden: [16] });
    await saveAutoencoder(vae, join(runDir, 'model'), [28, 28, 1]);
    vae.dispose();

    const draw = async (seed: string) => {
      const figures = recordingFigures();
      const lines: string[] = [];
      await runPluginCommand(sampleCommand, [runDir], { count: '7', columns: '3', seed }, io(figures, lines));
      expect(lines).toEqual([`samples-seed-${seed}.png`].map((f) => `wrote ${f}`));
      return figures.images.get(`samples-seed-${seed}.png`)!.rows;
    };
    const rows = await draw('3');
    expect(rows.map((r) => r.images.length)).toEqual([3, 3, 1]);
    expect([rows[0].height, rows[0].width]).toEqual([28, 28]);
    const again = await draw('3');
    expect(again[0].images[0]).toEqual(rows[0].images[0]);
    const other = await draw('4');
    expect(other[0].images[0]).not.toEqual(rows[0].images[0]);
  });

  it('refuses bad options naming them', async () => {
    const run = (options: Record<string, unknown>) => runPluginCommand(sampleCommand, ['nowhere'], options, io(recordingFigures(), []));
    await expect(run({ count: '0', columns: '10', seed: '0' })).rejects.toThrow(ConfigError);
    await expect(run({ count: '0', columns: '10', seed: '0' })).rejects.toThrow(/^--count: /);
    await expect(run({ count: '5', columns: 'x', seed: '0' })).rejects.toThrow(/^--columns: /);
  });
});
