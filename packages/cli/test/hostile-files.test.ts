import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { appendFile, lstat, mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { ae, editJson, expectOneLineFailure, getAt, setAt, small, temporaryFiles, tinyPlugin as plugin, trainedRun } from './hostile-helpers.js';
import type { AeRun } from './run-ae.js';

// A run directory, then every way a file from someone else (or a damaged
// disk) can be wrong: each must give one line naming the file and a
// non-zero exit, never a stack trace, a hang or a write outside.

const bin = fileURLToPath(new URL('../dist/bin/ae.js', import.meta.url));
const faults = fileURLToPath(new URL('./fixtures/file-faults.mjs', import.meta.url));
const isRoot = process.getuid?.() === 0;

let base: string;
let run: string;
let copyOfRun: (name: string) => Promise<string>;

beforeAll(async () => {
  ({ base, run, copyOfRun } = await trainedRun('aekit-hostile-'));
});

const weightsName = async (dir: string) => (await readdir(join(dir, 'model'))).find((n) => n.endsWith('.bin'))!;

describe('paths read from a file stay inside its folder', () => {
  it('model.json weight paths that leave the folder, are absolute, link out, are FIFOs or larger than the manifest are refused in one line', async () => {
    const outside = join(base, 'outside.bin');
    await writeFile(outside, Buffer.alloc(4096));
    const cases: [string, (model: string) => Promise<string>, RegExp][] = [
      ['dev/zero', async () => '../../../../../../../../dev/zero', /weights path "[./]+dev\/zero" leaves the folder/],
      ['absolute', async () => outside, /weights path ".*outside\.bin" is absolute; only files inside .* are read/],
      ['symlink', async (model) => (await symlink(outside, join(model, 'out.bin')), 'out.bin'), /weights path "out\.bin" is a symbolic link leading out of/],
      ['fifo', async (model) => (execFileSync('mkfifo', [join(model, 'pipe.bin')]), 'pipe.bin'), /weights path "pipe\.bin" is a FIFO \(named pipe\), not a regular file/],
      ['larger', async (model) => {
        const name = await weightsName(join(model, '..'));
        await appendFile(join(model, name), Buffer.alloc(100));
        return `./${name}`;
      }, /weights path "\.\/weights-[0-9a-f]+\.bin" is \d+ bytes, more than the \d+ its manifest describes/],
    ];
    for (const [name, place, message] of cases) {
      const dir = await copyOfRun(`escape-${name}`);
      const model = join(dir, 'model');
      const path = await place(model);
      await editJson(join(model, 'model.json'), (json) => setAt(json, ['weightsManifest', 0, 'paths'], [path]));
      const result = await ae('eval', dir);
      expectOneLineFailure(result, message);
      expect(result.err.startsWith(`ae: ${join(model, 'model.json')}: `), name).toBe(true);
    }
  });

  it("a checkpoint's weights file that leaves the checkpoint folder is refused by --resume", async () => {
    const dir = await copyOfRun('escape-checkpoint');
    const state = join(dir, 'checkpoint', 'state.json');
    await editJson(state, (json) => setAt(json, ['weights', 'file'], `../model/${getAt(json, ['weights', 'file'])}`));
    expectOneLineFailure(await ae('train', '--resume', dir), /state\.json: weights path "\.\.\/model\/weights-[0-9a-f]+\.bin" leaves the folder/);
  });
});

describe('outputs never clobber what is not ours', () => {
  it('--out that is a device, FIFO, socket, symlink or a folder of the user is refused, and left as it was', async () => {
    const dir = join(base, 'targets');
    await mkdir(dir);
    await writeFile(join(dir, 'precious.txt'), 'keep me');
    const targets: Record<string, string> = { fifo: join(dir, 'fifo'), socket: join(dir, 'socket'), link: join(dir, 'link'), mine: join(dir, 'mine') };
    execFileSync('mkfifo', [targets.fifo]);
    execFileSync('python3', ['-c', 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])', targets.socket]);
    await symlink(join(dir, 'precious.txt'), targets.link);
    await mkdir(targets.mine);
    await writeFile(join(targets.mine, 'notes.txt'), 'mine');
    if (isRoot) {
      // /dev/null's numbers, as a node inside the temporary folder: no system path is touched.
      targets.device = join(dir, 'device');
      execFileSync('mknod', [targets.device, 'c', '1', '3']);
    }
    for (const [kind, path] of Object.entries(targets)) {
      const before = await lstat(path);
      for (const argv of [['train', 'tiny', ...small, '--epochs', '1', '--out', path], ['score', run, '--out', path]]) {
        const result = await ae(...argv);
        expectOneLineFailure(result, kind === 'mine' ? /is a folder aekit did not write/ : /is (a character device|a FIFO \(named pipe\)|a socket|a symbolic link), not a folder/);
        const after = await lstat(path);
        expect([after.ino, after.mode, after.size], `${kind} after ${argv[0]}`).toEqual([before.ino, before.mode, before.size]);
      }
    }
    expect(await readFile(join(dir, 'precious.txt'), 'utf8')).toBe('keep me');
    expect(await readdir(targets.mine)).toEqual(['notes.txt']);
    expect(await temporaryFiles(dir)).toEqual([]);
  });
});

describe('divergence is caught', () => {
  it('--learning-rate 1e6 stops at the step it diverged, names the cause and the change, and leaves nothing', async () => {
    const out = join(base, 'diverged');
    const result = await ae('train', 'tiny', ...small, '--epochs', '3', '--learning-rate', '1e6', '--out', out);
    expectOneLineFailure(
      result,
      /^ae: training diverged at epoch 1, batch \d+: the weights grew to an RMS of [\d.e+]+ from [\d.e+-]+ \(loss [\d.]+\); the learning rate \(1000000\) is likely too high\. No checkpoint was written before this, so start again; try --learning-rate 0\.001 \(adam's default\) or lower$/,
    );
    expect(existsSync(out)).toBe(false);
  });
});

/** Runs the real `ae` binary with the file-fault layer, collecting its output. */
function spawnAe(args: string[], env: Record<string, string>, watch?: (child: ReturnType<typeof spawn>) => void): Promise<AeRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', faults, bin, '--plugin', plugin, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    watch?.(child);
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), out, err: err.trim() }));
  });
}

describe('a full disk leaves nothing behind', () => {
  it('ENOSPC while writing a checkpoint: one line naming the file and the space needed, no partial file', async () => {
    const out = join(base, 'full');
    const result = await spawnAe(['train', 'tiny', ...small, '--epochs', '2', '--out', out], { AEKIT_FAULT_ENOSPC: join(out, 'checkpoint') });
    expectOneLineFailure(result, /^ae: .*full\/checkpoint\/weights-[0-9a-f]+\.bin: no space left on the device \(ENOSPC\); writing it needs [\d.]+ kB, [\d.]+ [kMGT]?B free there; free some space or write elsewhere$/);
    expect(await temporaryFiles(out)).toEqual([]);
  });

  const tmpfs = canMountTmpfs();
  it.skipIf(!tmpfs)('on a real 48 kB tmpfs (a mount namespace of its own): one line naming the file, which is not left half-written', async () => {
    const mount = join(base, 'tmpfs');
    await mkdir(mount);
    const script = [
      `mount -t tmpfs -o size=48k none '${mount}' || exit 99`,
      `'${process.execPath}' '${bin}' --plugin '${plugin}' train tiny ${small.join(' ')} --epochs 2 --out '${mount}/run' 2>'${base}/tmpfs-err.txt'`,
      'echo "exit=$?"',
      `find '${mount}' -type f | sed 's/^/file=/'`,
    ].join('\n');
    const output = execFileSync('unshare', ['-m', 'sh', '-c', script], { encoding: 'utf8' });
    const err = (await readFile(join(base, 'tmpfs-err.txt'), 'utf8')).trim();
    expectOneLineFailure({ code: Number(/exit=(\d+)/.exec(output)?.[1]), out: '', err }, /no space left on the device \(ENOSPC\); writing it needs [\d.]+ kB, [\d.]+ k?B free there/);
    const files = [...output.matchAll(/^file=(.*)$/gm)].map((m) => m[1]);
    // What was written before the disk filled is whole (the checkpoint, the model); the file that did not fit is not there at all.
    const failed = /^ae: (.*?): no space left/.exec(err)![1];
    expect(files).not.toContain(failed);
    expect(files.filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(files.some((f) => f.endsWith('checkpoint/state.json'))).toBe(true);
  });
});

function canMountTmpfs(): boolean {
  try {
    execFileSync('unshare', ['-m', 'sh', '-c', `mount -t tmpfs -o size=8k none "$(mktemp -d)"`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('a kill during a checkpoint write', () => {
  it('leaves a temporary file that the resumed run sweeps, and the resumed run reaches the weights of an uninterrupted one', async () => {
    const straight = join(base, 'straight');
    const args = ['train', 'tiny', ...small, '--epochs', '3'];
    expect((await ae(...args, '--out', straight)).code).toBe(0);

    const killed = join(base, 'killed');
    const checkpoint = join(killed, 'checkpoint');
    // Writes to temporary files pause 400 ms half-way: kill the process the moment one exists after the first checkpoint.
    const result = await spawnAe([...args, '--out', killed], { AEKIT_FAULT_SLOW_MS: '400' }, (child) => {
      const poll = setInterval(async () => {
        const names = existsSync(checkpoint) ? await readdir(checkpoint) : [];
        if (names.includes('state.json') && names.some((n) => n.endsWith('.tmp'))) {
          clearInterval(poll);
          child.kill('SIGKILL');
        }
      }, 20);
      child.on('close', () => clearInterval(poll));
    });
    expect(result.code).toBe(128);
    const left = await temporaryFiles(killed);
    expect(left.length).toBeGreaterThan(0);

    const resumed = await ae('train', '--resume', killed);
    expect(resumed.err).toBe('');
    expect(resumed.code).toBe(0);
    expect(await temporaryFiles(killed)).toEqual([]);
    const sha = async (dir: string) => JSON.parse(await readFile(join(dir, 'model', 'model.json'), 'utf8')).userDefinedMetadata.aekit.weightsSha256;
    expect(await sha(killed)).toBe(await sha(straight));
    const metrics = JSON.parse(await readFile(join(killed, 'metrics.json'), 'utf8'));
    const epochSeconds = metrics.history.reduce((sum: number, r: { seconds: number }) => sum + r.seconds, 0);
    // Training time of every session, not only the last one's.
    expect(metrics.seconds).toBeCloseTo(epochSeconds, 6);
    expect(metrics.seconds).toBeGreaterThan(0);
  });
});
