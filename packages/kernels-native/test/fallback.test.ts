import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BackendError, backendNotices, defaultBackend, tf, useBackend } from '@aekit/core';
import { loadBinding } from '../src/binding.js';
import { replaceBindingForTests } from '../src/native-state.js';
import { NATIVE_FASTER, nativeBackend, nativeKernelsInfo, nativePreferred } from '../src/index.js';

afterAll(() => useBackend('cpu'));

describe('the prebuilt binary', () => {
  it('is committed up to date with its sources (scripts/build-native.mjs --check)', () => {
    const script = new URL('../scripts/build-native.mjs', import.meta.url).pathname;
    expect(execFileSync(process.execPath, [script, '--check'], { encoding: 'utf8' })).toMatch(/native binary up to date/);
  });

  it('loads here and says what it runs with', () => {
    const info = nativeKernelsInfo();
    expect(info).toMatchObject({ available: true });
    if (info.available) {
      expect(['avx512', 'avx2', 'sse2']).toContain(info.isa);
      expect(info.threads).toBeGreaterThanOrEqual(1);
    }
  });
});

describe('where no prebuilt binary fits', () => {
  it('finds none in a folder without prebuilds, and says so', () => {
    const empty = mkdtempSync(join(tmpdir(), 'aekit-no-prebuilds-'));
    try {
      expect(loadBinding(empty)).toEqual({ reason: `no prebuilt binary for ${process.platform}-${process.arch}` });
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('runs the wasm kernels: auto picks wasm, native is refused in one line, training still works', async () => {
    replaceBindingForTests({ reason: 'no prebuilt binary for test-platform' });
    try {
      expect(nativeBackend.unavailable()).toBe('no prebuilt binary for test-platform');
      expect(nativeKernelsInfo()).toEqual({ available: false, reason: 'no prebuilt binary for test-platform' });
      expect(defaultBackend({ family: 'dense' })).toBe('wasm');
      expect(backendNotices({ family: 'dense' })).toEqual(['native kernels unavailable (no prebuilt binary for test-platform); running the wasm kernels']);
      await expect(useBackend('native')).rejects.toThrow(BackendError);
      await expect(useBackend('native')).rejects.toThrow("backend 'native' cannot run here: no prebuilt binary for test-platform");
      expect(await useBackend('auto')).toBe('wasm');
      const y = tf.tidy(() => tf.matMul(tf.ones([3, 4]), tf.ones([4, 2])).sum());
      expect(y.dataSync()[0]).toBe(24);
      y.dispose();
    } finally {
      replaceBindingForTests(undefined);
    }
    // Where it loads, auto picks it only for a family the bench measured it faster on.
    expect(defaultBackend()).toBe('wasm');
    expect(defaultBackend({ family: 'not-measured' })).toBe('wasm');
    for (const family of NATIVE_FASTER.families) expect(await useBackend('auto', { family })).toBe('native');
    expect(await useBackend('auto', { family: 'not-measured' })).toBe('wasm');
    expect(await useBackend('native')).toBe('native');
  });

  it('is preferred for the measured families only', () => {
    expect(nativePreferred({ family: 'vae' }, ['vae'])).toBe(true);
    expect(nativePreferred({ family: 'dense' }, ['vae'])).toBe(false);
    expect(nativePreferred({}, ['vae'])).toBe(false);
    expect(nativePreferred({ family: 'vae' }, [])).toBe(false);
  });

  it('turns off with AEKIT_NATIVE=0', () => {
    const before = process.env.AEKIT_NATIVE;
    process.env.AEKIT_NATIVE = '0';
    try {
      expect(loadBinding()).toEqual({ reason: 'turned off by AEKIT_NATIVE=0' });
    } finally {
      if (before === undefined) delete process.env.AEKIT_NATIVE;
      else process.env.AEKIT_NATIVE = before;
    }
  });
});
