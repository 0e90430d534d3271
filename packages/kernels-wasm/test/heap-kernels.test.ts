import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tf, useBackend } from '@aekit/core';
import { heapExportNames } from '../src/heap/heap-kernels.js';
import type { WasmHeapBackend } from '../src/heap/heap-backend.js';
import { planTranspose } from '../src/kernels/transpose/wasm.js';

describe('heap kernels (src/kernels/*/*.c, src/heap/heap.h)', () => {
  it('the committed module was built from the current C sources', () => {
    const script = fileURLToPath(new URL('../scripts/build-wasm.mjs', import.meta.url));
    expect(() => execFileSync(process.execPath, [script, '--check'], { stdio: 'pipe' })).not.toThrow();
  });

  it("the check notices a change to any C source or header, without a compiler", async () => {
    // @ts-expect-error: a plain ES module without types
    const { heapSources, sourceHash } = await import('../scripts/build-wasm.mjs');
    const sources: { path: string; text: string }[] = await heapSources();
    expect(sources.some((s) => s.path.endsWith('heap/heap.h'))).toBe(true);
    const hash = sourceHash(sources);
    for (const changed of [sources.findIndex((s) => s.path.endsWith('.c')), sources.findIndex((s) => s.path.endsWith('.h'))]) {
      const edited = sources.map((s, i) => (i === changed ? { ...s, text: `${s.text}\n` } : s));
      expect(sourceHash(edited)).not.toBe(hash);
    }
  });

  it('instantiate on the wasm backend of this Node', async () => {
    await useBackend('wasm');
    expect(heapExportNames(tf.backend() as WasmHeapBackend)?.sort()).toEqual(['adamUpdate', 'addToRows', 'binaryCrossEntropy', 'binaryCrossEntropyGradient', 'binaryCrossEntropySum', 'binaryCrossEntropySumGradient', 'filterGradient', 'lstmStep', 'lstmStepGradient', 'maxPoolGradient', 'reluGradient', 'sigmoidGradient', 'singleInputConvolution', 'singleOutputConvolution', 'sumRows', 'swapOuterAxes', 'transpose2d', 'transposedProduct', 'unitFloatsInPlace', 'upsampleNearest', 'upsampleNearestGradient']);
    await useBackend('cpu');
  });

  it('plan the transposes a convolution gradient makes, merging axes that move together', () => {
    expect(planTranspose([256, 28, 28, 16], [1, 2, 0, 3])).toEqual({ kind: 'swap', a: 256, b: 784, n: 16 });
    expect(planTranspose([256, 28, 28, 16], [3, 1, 2, 0])).toEqual({ kind: 'transpose', rows: 256, cols: 16, batch: 784, batchOuter: false });
    expect(planTranspose([256, 28, 28, 1], [3, 1, 2, 0])).toEqual({ kind: 'transpose', rows: 256, cols: 784, batch: 1, batchOuter: true });
    expect(planTranspose([4, 5], [0, 1])).toEqual({ kind: 'copy', size: 20 });
    expect(planTranspose([2, 3, 4, 5], [3, 2, 1, 0])).toBeUndefined();
    expect(planTranspose([1000, 3, 2], [0, 2, 1])).toBeUndefined(); // many tiny matrices
    expect(planTranspose([0, 3], [1, 0])).toBeUndefined();
  });
});
