import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { aeWithPlugins } from './run-ae.js';

const plugin = fileURLToPath(new URL('./fixtures/tiny-plugin', import.meta.url));
const ae = aeWithPlugins(plugin);
const small = ['--limit', '200', '--test-limit', '40', '--code-points', '20', '--batch-size', '32', '--backend', 'cpu'];

interface State {
  run: Record<string, unknown>;
  optimizer: { config: Record<string, unknown> };
}
const readState = async (runDir: string) => JSON.parse(await readFile(join(runDir, 'checkpoint', 'state.json'), 'utf8')) as State;

/** A finished one-epoch run of the tiny family, copied fresh for each test that edits it. */
let trained: string;
beforeAll(async () => {
  trained = join(await mkdtemp(join(tmpdir(), 'aekit-resume-')), 'run');
  const first = await ae('train', 'tiny', ...small, '--epochs', '1', '--out', trained);
  expect(first.err).toBe('');
}, 120_000);

async function copyOfRun(): Promise<string> {
  const { cp } = await import('node:fs/promises');
  const dir = join(await mkdtemp(join(tmpdir(), 'aekit-resume-')), 'run');
  await cp(trained, dir, { recursive: true });
  return dir;
}

describe('ae train --resume with flags', () => {
  it('applies the flags that may change, records them in the checkpoint and says what changed', async () => {
    const dir = await copyOfRun();
    const resumed = await ae('train', '--resume', dir, '--epochs', '2', '--learning-rate', '0.005', '--patience', '3', '--checkpoint-every', '2', '--backend', 'cpu');
    expect(resumed.err).toBe('');
    expect(resumed.code).toBe(0);
    expect(resumed.out).toMatch(/changed: --epochs 2 \(was 1\), --learning-rate 0\.005 \(was unset\), --patience 3 \(was unset\), --checkpoint-every 2 \(was 1\)/);
    const state = await readState(dir);
    expect(state.run).toMatchObject({ epochs: 2, learningRate: 0.005, patience: 3, checkpointEvery: 2 });
    // The optimizer that trained the second epoch had the new learning rate (its config is saved from the optimizer itself).
    expect(state.optimizer.config.learningRate).toBe(0.005);
  }, 120_000);

  it('refuses the flags that cannot change, naming each in one line, and leaves the run as it was', async () => {
    const dir = await copyOfRun();
    const before = await readFile(join(dir, 'checkpoint', 'state.json'), 'utf8');
    const resumed = await ae('train', '--resume', dir, '--batch-size', '8', '--noise', 'mask:0.1', '--latent-dim', '3');
    expect(resumed.code).toBe(1);
    expect(resumed.err).toBe(
      "ae: resume: --batch-size, --latent-dim, --noise cannot change when a run resumes (the checkpoint keeps the run's own); " +
        'options that can: --epochs, --learning-rate, --backend, --workers, --patience, --cache-dir, --code-points, --checkpoint-every',
    );
    expect(await readFile(join(dir, 'checkpoint', 'state.json'), 'utf8')).toBe(before);
  });

  it("checks a checkpoint's settings as a new run's, naming the field and the file", async () => {
    const dir = await copyOfRun();
    const statePath = join(dir, 'checkpoint', 'state.json');
    const original = await readState(dir);

    await writeFile(statePath, JSON.stringify({ ...original, optimizer: { ...original.optimizer, config: { ...original.optimizer.config, learningRate: -0.5 } } }));
    const optimizer = await ae('train', '--resume', dir, '--epochs', '2', '--backend', 'cpu');
    expect(optimizer.code).toBe(1);
    expect(optimizer.err).toBe(`ae: ${statePath}: optimizer.config.learningRate: expected a positive number, got -0.5`);

    await writeFile(statePath, JSON.stringify({ ...original, run: { ...original.run, learningRate: -0.5 } }));
    const run = await ae('train', '--resume', dir, '--epochs', '2', '--backend', 'cpu');
    expect(run.code).toBe(1);
    expect(run.err).toBe(`ae: ${statePath}: run.learningRate: expected a positive number, got -0.5`);
  });
});
