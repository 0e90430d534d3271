import type * as fsPromises from 'node:fs/promises';
import { readdir } from 'node:fs/promises';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { DiskFullError, useBackend } from '@aekit/core';
import { loadImageFolder } from '../src/index.js';
import { classFolder, tempFolder } from './images.js';

// The file layer as a full disk makes it, for the decoded cache only: each write fails with ENOSPC.
vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof fsPromises>();
  const open: typeof real.open = async (...args) => {
    const handle = await real.open(...args);
    if (String(args[0]).includes('full-disk-cache') && String(args[1]).includes('w')) {
      handle.write = (async () => {
        throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28, syscall: 'write' });
      }) as typeof handle.write;
    }
    return handle;
  };
  return { ...real, default: { ...real, open }, open };
});

beforeAll(async () => {
  await useBackend('cpu');
});

describe('a full disk while the decoded cache is written', () => {
  it('is one line naming the cache file and the bytes it needs, and leaves no partial cache', async () => {
    const root = await classFolder(await tempFolder(), ['a', 'b'], 10, 8, 6);
    const cacheDir = await tempFolder('full-disk-cache-');
    const error = await loadImageFolder(root, { testSplit: 0.1, seed: 2, memoryBytes: 0, chunkExamples: 8, cacheDir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DiskFullError);
    expect((error as Error).message).toMatch(/^.*full-disk-cache-.*: no space left on the device \(ENOSPC\); writing it needs [\d.]+ kB, .* free there; free some space or write elsewhere$/);
    expect(await readdir(cacheDir)).toEqual([]);
  });
});
