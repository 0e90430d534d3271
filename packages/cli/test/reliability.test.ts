import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { aeWithPlugins } from './run-ae.js';

const plugin = fileURLToPath(new URL('./fixtures/tiny-plugin', import.meta.url));
const bin = fileURLToPath(new URL('../dist/bin/ae.js', import.meta.url));
// 900 training images (after the validation share) in batches of 16: 57 batches an epoch, room for SIGTERM to land mid-run.
const common = ['--epochs', '4', '--batch-size', '16', '--limit', '1000', '--test-limit', '100', '--code-points', '50', '--seed', '3', '--noise', 'gaussian:0.2'];
/**
 * Three runs (straight, killed, resumed), one in a child process that loads
 * node, tfjs and the wasm backend anew. When other builds and tests share
 * the machine's 2 cores, each run takes several times its idle time, and the
 * shared 120 s limit timed this test out; the limit here is for that load.
 */
const KILL_RESUME_TIMEOUT_MS = 360_000;

const ae = aeWithPlugins(plugin);

const weightsSha = async (runDir: string) =>
  JSON.parse(await readFile(join(runDir, 'model', 'model.json'), 'utf8')).userDefinedMetadata.aekit.weightsSha256 as string;

/** Runs `ae train` in a child process and sends it SIGTERM once the first epoch has finished. */
function trainAndKill(runDir: string): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, '--plugin', plugin, 'train', 'tiny', ...common, '--backend', 'wasm', '--out', runDir], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let killed = false;
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      if (!killed && /epoch 1\/4 loss/.test(out)) {
        killed = true;
        child.kill('SIGTERM');
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out }));
  });
}

describe('a run killed mid-training and resumed', () => {
  it('exits saying how to resume, and the resumed run reaches the weights of an uninterrupted run', async () => {
    const base = await mkdtemp(join(tmpdir(), 'aekit-kill-'));
    const straight = await ae('train', 'tiny', ...common, '--backend', 'wasm', '--out', join(base, 'straight'));
    expect(straight.code).toBe(0);

    const runDir = join(base, 'killed');
    const killed = await trainAndKill(runDir);
    expect(killed.code).toBe(130);
    expect(killed.out).toContain(`Resume with: ae train --resume ${runDir}`);
    expect(await readdir(runDir)).toEqual(['checkpoint']);
    const state = JSON.parse(await readFile(join(runDir, 'checkpoint', 'state.json'), 'utf8'));
    expect(state.reason).toBe('aborted');
    expect(state.progress.epoch).toBeGreaterThanOrEqual(1);

    const resumed = await ae('train', '--resume', runDir, '--backend', 'wasm');
    expect(resumed.err).toBe('');
    expect(resumed.code).toBe(0);
    expect(resumed.out).toMatch(/resuming tiny in .* at epoch \d+, batch \d+/);
    expect(await weightsSha(runDir)).toBe(await weightsSha(join(base, 'straight')));
    const metrics = JSON.parse(await readFile(join(runDir, 'metrics.json'), 'utf8'));
    expect(metrics.history.map((r: { epoch: number }) => r.epoch)).toEqual([1, 2, 3, 4]);
  }, KILL_RESUME_TIMEOUT_MS);
});

describe('a loss that becomes NaN', () => {
  it('stops with the epoch and batch named, and writes no model', async () => {
    const runDir = join(await mkdtemp(join(tmpdir(), 'aekit-nan-')), 'run');
    // 360 training images in batches of 16 make 23 batches an epoch, so step 30 is epoch 2, batch 7.
    const result = await ae('train', 'tiny', '--config', '{"nanAfterSteps": 30}', '--batch-size', '16', '--limit', '400', '--epochs', '3', '--out', runDir);
    expect(result.code).toBe(1);
    expect(result.err).toMatch(
      /^ae: loss became NaN at epoch 2, batch 7; weights were not updated from this batch\. The last good checkpoint, after epoch 1, is in .*run\/checkpoint; resume it with a lower learning rate: ae train --resume \S+\/run --learning-rate 0\.0001, or check the data for extreme values$/,
    );
    expect((await readdir(runDir)).sort()).toEqual(['checkpoint']);
    const state = JSON.parse(await readFile(join(runDir, 'checkpoint', 'state.json'), 'utf8'));
    expect(state.progress.epoch).toBe(1);
  });

  it('refuses --resume without a checkpoint, naming the file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'aekit-nockpt-'));
    const result = await ae('train', '--resume', dir);
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/checkpoint\/state\.json: no checkpoint to resume from \(ENOENT\)$/);
  });
});
