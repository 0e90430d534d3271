import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';
import { describe, expect, it, vi } from 'vitest';
import type { FigureWriter, HeatmapFigure, ScatterFigure } from '@aekit/core';
import { runCli } from '../src/index.js';
import type * as OptionalPackages from '../src/optional-packages.js';

/** The figures of the last run, as the run asked for them. */
const drawn: { scatter: Record<string, ScatterFigure>; heatmap: Record<string, HeatmapFigure>; imageRows: string[] } = { scatter: {}, heatmap: {}, imageRows: [] };

vi.mock('../src/optional-packages.js', async (importOriginal) => ({
  ...(await importOriginal<typeof OptionalPackages>()),
  loadFigures: async () => {
    const writer: FigureWriter = {
      imageRows: async (file) => (drawn.imageRows.push(file), file),
      scatter: async (file, figure) => ((drawn.scatter[file] = figure), file),
      lines: async (file) => file,
      heatmap: async (file, figure) => ((drawn.heatmap[file] = figure), file),
    };
    return { writerFor: () => writer, skipped: [] };
  },
}));

const tablePlugin = fileURLToPath(new URL('./fixtures/table-plugin', import.meta.url));
const tinyPlugin = fileURLToPath(new URL('./fixtures/tiny-plugin', import.meta.url));

async function ae(...argv: string[]) {
  const err: string[] = [];
  const code = await runCli(['--plugin', tablePlugin, '--plugin', tinyPlugin, ...argv], { log: () => undefined, error: (l) => err.push(l) });
  return { code, err: err.join('\n') };
}

const tmp = () => mkdtemp(join(tmpdir(), 'aekit-run-pictures-'));

describe('the pictures of a run', () => {
  it('draws a table as a heat map of rows and features, and codes.png with "rows" and the label classes by name', async () => {
    const dir = await tmp();
    const lines = ['temp,load,colour,kind'];
    for (let i = 0; i < 120; i++) lines.push(`${20 + (i % 7)},${i * 10},${['red', 'green'][i % 2]},${i % 3 === 0 ? 'fraud' : 'normal'}`);
    await writeFile(join(dir, 'records.csv'), lines.join('\n') + '\n');
    const result = await ae('train', 'mlp', '--data', join(dir, 'records.csv'), '--label', 'kind', '--epochs', '1', '--backend', 'cpu', '--out', join(dir, 'run'), '--code-points', '20');
    expect(result.err).toBe('');
    expect(result.code).toBe(0);
    const picture = drawn.heatmap['reconstructions.png'];
    expect(picture.columns).toEqual(['temp', 'load', 'colour=green', 'colour=red']);
    expect(picture.rows).toHaveLength(10);
    expect(picture.panels.map((p) => p.name)).toEqual(['input', 'reconstruction']);
    expect(picture.panels[0].values).toHaveLength(40);
    expect(drawn.imageRows).not.toContain('reconstructions.png');
    const codes = drawn.scatter['codes.png'];
    expect(codes.title).toMatch(/\(\d+ test rows\)$/);
    expect(new Set(Array.from(codes.category!))).toEqual(new Set(['fraud', 'normal']));
  }, 60_000);

  it('names the classes of an image folder by its sub-folders', async () => {
    const root = await tmp();
    drawn.scatter = {};
    for (let i = 0; i < 40; i++) {
      const kind = i % 2 ? 'cats' : 'dogs';
      await mkdir(join(root, kind), { recursive: true });
      const png = new PNG({ width: 8, height: 8 });
      png.data.fill(i % 2 ? 40 : 220);
      await writeFile(join(root, kind, `${i}.png`), PNG.sync.write(png));
    }
    const result = await ae('train', 'tiny', '--data', root, '--image-size', '4x4', '--channels', '1', '--epochs', '1', '--backend', 'cpu', '--out', join(root, '..', 'image-run'), '--code-points', '8');
    expect(result.err).toBe('');
    expect(result.code).toBe(0);
    const codes = drawn.scatter['codes.png'];
    expect(codes.title).toMatch(/\(\d+ test images\)$/);
    expect(new Set(Array.from(codes.category!))).toEqual(new Set(['cats', 'dogs']));
  }, 60_000);
});
