import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { fileURLToPath } from 'node:url';
import { BUILT_IN_DATASET } from '../src/datasets.js';
import { runCli } from '../src/index.js';
import { loadTrainingData } from '../src/train/training-data.js';
import type * as Progress from '../src/progress.js';
import type { RunSettings } from '../src/train/run-settings.js';

const tablePlugin = fileURLToPath(new URL('./fixtures/table-plugin', import.meta.url));

/** Every bar drawn: its label, total and the values it was moved to. */
const bars: { label: string; total: number; values: number[] }[] = [];

vi.mock('../src/progress.js', async (importOriginal) => ({
  ...(await importOriginal<typeof Progress>()),
  simpleProgress: (label: string, total: number) => {
    const bar = { label, total, values: [] as number[] };
    bars.push(bar);
    return { update: (done: number) => bar.values.push(done), stop: () => undefined };
  },
}));

describe('loadTrainingData progress', () => {
  it('draws bars while a table is read: bytes scanned of the file size, then rows read of all rows', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'aekit-progress-'));
    const file = join(dir, 'records.csv');
    const lines = ['a,b,kind'];
    for (let i = 0; i < 4000; i++) lines.push(`${i % 17},${(i * 3) % 29},${i % 2 ? 'x' : 'y'}`);
    const text = lines.join('\n') + '\n';
    await writeFile(file, text);
    const settings = { family: 'mlp', dataset: BUILT_IN_DATASET, data: file, label: 'kind', seed: 1 } as unknown as RunSettings;
    const data = await loadTrainingData(settings, () => undefined, true);
    expect(data.train.size + data.test.size).toBe(4000);
    expect(bars.map((b) => b.label)).toEqual(['table bytes scanned', 'table rows read']);
    const [scan, rows] = bars;
    expect(scan.total).toBe(Buffer.byteLength(text));
    expect(scan.values.at(-1)).toBe(scan.total);
    expect(scan.values.length).toBeGreaterThan(3);
    expect(rows.total).toBe(4000);
    expect(rows.values.at(-1)).toBe(4000);
    expect(rows.values.length).toBeGreaterThan(3);
  });

  it('draws the same bars while ae score reads a table to score', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'aekit-progress-'));
    const file = join(dir, 'records.csv');
    const lines = ['a,b,kind'];
    for (let i = 0; i < 2000; i++) lines.push(`${i % 17},${(i * 3) % 29},${i % 2}`);
    await writeFile(file, lines.join('\n') + '\n');
    const run = join(dir, 'run');
    const cli = (...argv: string[]) => runCli(['--plugin', tablePlugin, ...argv], { log: () => undefined, error: (l) => expect(l).toBe('') });
    expect(await cli('train', 'mlp', '--data', file, '--label', 'kind', '--epochs', '1', '--backend', 'cpu', '--out', run, '--code-points', '10')).toBe(0);
    bars.length = 0;
    expect(await cli('score', run, file, '--backend', 'cpu')).toBe(0);
    expect(bars.map((b) => b.label)).toEqual(['table bytes scanned', 'table rows read']);
    expect(bars[1].values.at(-1)).toBe(2000);
  }, 60_000);
});
