import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tf, useBackend } from '../src/index.js';
import { heapKernels } from '../src/backend/wasm/heap-kernels.js';
import type { WasmHeapBackend } from '../src/backend/wasm/heap-backend.js';
import { planTranspose } from '../src/backend/wasm/transpose.js';

describe('heap kernels (wasm/heap-kernels.wat)', () => {
  it('the committed module is the one the text source assembles to', () => {
    const script = fileURLToPath(new URL('../scripts/build-wasm.mjs', import.meta.url));
    expect(() => execFileSync(process.execPath, [script, '--check'], { stdio: 'pipe' })).not.toThrow();
  });

  it('instantiate on the wasm backend of this Node', async () => {
    await useBackend('wasm');
    const kernels = heapKernels(tf.backend() as WasmHeapBackend);
    expect(kernels && Object.keys(kernels).sort()).toEqual(['adamUpdate', 'addToRows', 'binaryCrossEntropy', 'binaryCrossEntropyGradient', 'filterGradient', 'maxPoolGradient', 'reluGradient', 'singleInputConvolution', 'singleOutputConvolution', 'sumRows', 'swapOuterAxes', 'transpose2d', 'upsampleNearest', 'upsampleNearestGradient']);
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
