import { execFileSync } from 'node:child_process';
import { lstat, mkdir, mkdtemp, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataFileError, DiskFullError, OutputError } from '../src/index.js';
import { checkOutputFile, OUTPUT_MARKER, prepareOutputFolder, readFileInside, sweepTemporaryFiles, writeError, writeFileAtomic } from '../src/node/index.js';

const tmp = () => mkdtemp(join(tmpdir(), 'aekit-safe-'));
const isRoot = process.getuid?.() === 0;

/** A FIFO, a socket, a symlink, a folder and (as root) a character device, all inside `dir`. */
async function hostileTargets(dir: string): Promise<Record<string, string>> {
  const targets: Record<string, string> = {};
  targets.fifo = join(dir, 'fifo');
  execFileSync('mkfifo', [targets.fifo]);
  targets.link = join(dir, 'link');
  await writeFile(join(dir, 'precious.txt'), 'keep me');
  await symlink(join(dir, 'precious.txt'), targets.link);
  targets.folder = join(dir, 'folder');
  await mkdir(targets.folder);
  // A bound socket whose process has ended: the file stays, as a crashed server's does.
  targets.socket = join(dir, 'socket');
  execFileSync('python3', ['-c', 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])', targets.socket]);
  if (isRoot) {
    // The same device numbers as /dev/null, made inside the temporary folder: no system path is touched.
    targets.device = join(dir, 'device');
    execFileSync('mknod', [targets.device, 'c', '1', '3']);
  }
  return targets;
}

const leftovers = async (dir: string) => (await readdir(dir)).filter((name) => name.endsWith('.tmp'));

describe('writeFileAtomic', () => {
  it('replaces a regular file and leaves no temporary file', async () => {
    const dir = await tmp();
    await writeFile(join(dir, 'a.json'), 'old');
    await writeFileAtomic(join(dir, 'a.json'), 'new');
    expect(await readFile(join(dir, 'a.json'), 'utf8')).toBe('new');
    expect(await leftovers(dir)).toEqual([]);
  });

  it('never renames over a device, FIFO, socket, symlink or folder: one line naming the path, nothing changed', async () => {
    const dir = await tmp();
    const targets = await hostileTargets(dir);
    for (const [kind, path] of Object.entries(targets)) {
      const before = await lstat(path);
      const error = await writeFileAtomic(path, 'x'.repeat(1000)).catch((e: unknown) => e);
      expect(error, kind).toBeInstanceOf(OutputError);
      expect((error as Error).message, kind).toMatch(new RegExp(`^${path}: is a (character device|FIFO \\(named pipe\\)|socket|symbolic link|folder), and aekit replaces only regular files`));
      expect((error as Error).message).not.toContain('\n');
      const after = await lstat(path);
      expect([after.ino, after.mode], kind).toEqual([before.ino, before.mode]);
    }
    expect(await readFile(join(dir, 'precious.txt'), 'utf8')).toBe('keep me');
    expect(await leftovers(dir)).toEqual([]);
  });
});

describe('writeError', () => {
  it('answers ENOSPC and EDQUOT with the file, the bytes needed and free, and names other refusals', async () => {
    const dir = await tmp();
    const errno = (code: string) => Object.assign(new Error(`${code}: failed, write`), { code });
    const full = await writeError(errno('ENOSPC'), join(dir, 'weights.bin'), 2_500_000);
    expect(full).toBeInstanceOf(DiskFullError);
    expect((full as Error).message).toMatch(new RegExp(`^${dir}/weights\\.bin: no space left on the device \\(ENOSPC\\); writing it needs 2\\.50 MB, [\\d.]+ [kMGT]?B free there; free some space or write elsewhere$`));
    const quota = await writeError(errno('EDQUOT'), join(dir, 'state.json'), 900);
    expect((quota as Error).message).toMatch(/state\.json: disk quota exceeded \(EDQUOT\); writing it needs 900 B, .* free on the device \(the quota may be lower\); free some space or write elsewhere$/);
    expect(((await writeError(errno('EROFS'), '/x/y')) as Error).message).toBe('/x/y: cannot be written (EROFS)');
    const other = new TypeError('not the file system');
    expect(await writeError(other, '/x/y')).toBe(other);
  });
});

describe('output paths given by the user', () => {
  it('checkOutputFile accepts a new or regular file and refuses everything else', async () => {
    const dir = await tmp();
    await expect(checkOutputFile(join(dir, 'sub', 'model.onnx'))).resolves.toBe(join(dir, 'sub', 'model.onnx'));
    const targets = await hostileTargets(dir);
    for (const path of Object.values(targets)) await expect(checkOutputFile(path)).rejects.toThrow(/give --out the path of a new or regular file$/);
  });

  it('prepareOutputFolder takes a new, empty, marked or expected folder and refuses a folder of the user', async () => {
    const dir = await tmp();
    await expect(prepareOutputFolder(join(dir, 'new'))).resolves.toBe(join(dir, 'new'));
    await mkdir(join(dir, 'empty'));
    await expect(prepareOutputFolder(join(dir, 'empty'), { marker: true })).resolves.toBeTruthy();
    expect(await readdir(join(dir, 'empty'))).toEqual([OUTPUT_MARKER]);
    await writeFile(join(dir, 'empty', 'page.png'), 'a picture written by aekit');
    await expect(prepareOutputFolder(join(dir, 'empty'))).resolves.toBeTruthy();

    await mkdir(join(dir, 'run'));
    await writeFile(join(dir, 'run', 'metrics.json'), '{}');
    await expect(prepareOutputFolder(join(dir, 'run'), { expected: ['metrics.json'] })).resolves.toBeTruthy();

    await mkdir(join(dir, 'photos'));
    await writeFile(join(dir, 'photos', 'holiday.png'), 'mine');
    const refused = await prepareOutputFolder(join(dir, 'photos'), { expected: ['metrics.json'], marker: true }).catch((e: unknown) => e);
    expect((refused as Error).message).toBe(
      `${join(dir, 'photos')}: is a folder aekit did not write (it holds 1 entry: 'holiday.png'); give --out a new or empty folder so that nothing of yours is overwritten`,
    );
    expect(await readdir(join(dir, 'photos'))).toEqual(['holiday.png']);

    const targets = await hostileTargets(await tmp());
    for (const [kind, path] of Object.entries(targets).filter(([k]) => k !== 'folder')) {
      await expect(prepareOutputFolder(path), kind).rejects.toThrow(/is (a character device|a FIFO \(named pipe\)|a socket|a symbolic link), not a folder/);
    }
  });
});

describe('temporary files of killed runs', () => {
  it('are swept when their process is gone; a running writer keeps its own', async () => {
    const dir = await tmp();
    await mkdir(join(dir, 'checkpoint'));
    const dead = join(dir, 'checkpoint', '.state.json.999999999.1700000000000.tmp');
    const live = join(dir, 'checkpoint', `.weights-1.bin.${process.ppid}.1700000000000.tmp`);
    await writeFile(dead, 'half a checkpoint');
    await writeFile(live, 'being written');
    await writeFile(join(dir, 'notes.tmp'), 'not ours: no pid in the name');
    expect(await sweepTemporaryFiles(dir)).toEqual([dead]);
    expect((await readdir(join(dir, 'checkpoint'))).sort()).toEqual([live.slice(join(dir, 'checkpoint').length + 1)]);
    expect(await readdir(dir)).toContain('notes.tmp');
  });
});

describe('readFileInside', () => {
  it('reads a file of the stated size inside the folder', async () => {
    const dir = await tmp();
    await writeFile(join(dir, 'weights.bin'), Buffer.alloc(16, 7));
    const bytes = await readFileInside(dir, './weights.bin', { namedIn: join(dir, 'model.json'), bytes: 16 });
    expect(Array.from(bytes.subarray(0, 2))).toEqual([7, 7]);
  });

  it('refuses paths that leave the folder, are absolute, links out, FIFOs, folders or of another size, in one line', async () => {
    const root = await tmp();
    const dir = join(root, 'model');
    await mkdir(dir);
    await writeFile(join(root, 'secret.txt'), 'outside');
    await writeFile(join(dir, 'small.bin'), Buffer.alloc(8));
    await writeFile(join(dir, 'big.bin'), Buffer.alloc(64));
    await symlink(join(root, 'secret.txt'), join(dir, 'out.bin'));
    execFileSync('mkfifo', [join(dir, 'fifo.bin')]);
    await mkdir(join(dir, 'sub.bin'));
    const namedIn = join(dir, 'model.json');
    const cases: [unknown, RegExp][] = [
      ['../secret.txt', /weights path "\.\.\/secret\.txt" leaves the folder/],
      ['../../../../../../dev/zero', /weights path ".*" leaves the folder/],
      [join(root, 'secret.txt'), /weights path ".*" is absolute; only files inside .* are read/],
      ['out.bin', /weights path "out\.bin" is a symbolic link leading out of/],
      ['fifo.bin', /weights path "fifo\.bin" is a FIFO \(named pipe\), not a regular file/],
      ['sub.bin', /is a folder, not a regular file/],
      ['small.bin', /is 8 bytes, less than the 16 its manifest describes \(truncated\?\)/],
      ['big.bin', /is 64 bytes, more than the 16 its manifest describes/],
      ['missing.bin', /is missing/],
      [42, /weights path 42 is not a file name/],
      [null, /weights path null is not a file name/],
    ];
    for (const [path, message] of cases) {
      const error = await readFileInside(dir, path, { namedIn, bytes: 16 }).catch((e: unknown) => e);
      expect(error, String(path)).toBeInstanceOf(DataFileError);
      expect((error as Error).message.startsWith(`${namedIn}: weights path `), String(path)).toBe(true);
      expect((error as Error).message, String(path)).toMatch(message);
      expect((error as Error).message).not.toContain('\n');
    }
  });
});
