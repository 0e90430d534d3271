import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tf, useBackend } from '@aekit/core';
import { binaryCrossEntropySumGradientHeap, binaryCrossEntropySumHeap, heapKernels, sigmoidGradientHeap, type WasmHeapBackend } from '@aekit/kernels-wasm/heap';
import { conv2d, matMul } from '../src/contracts.js';
import { nativeBinding } from '../src/native-state.js';
import '../src/index.js';

beforeAll(() => useBackend('native'));
afterAll(() => useBackend('cpu'));

const heap = () => heapKernels(tf.backend() as WasmHeapBackend)!;

describe('bounds refusals before native code runs', () => {
  it('refuses an output shorter than the product, and leaves it untouched', () => {
    const [a, b, c] = [tf.ones([4, 3]), tf.ones([3, 5]), tf.fill([19], 7)];
    const call = () => heap().run(matMul, [{ tensor: a }, { tensor: b }, null, { tensor: c }], [1, 1, 4, 5, 3, 0, 0, 0], [0]);
    expect(call).toThrow(RangeError);
    expect(call).toThrow(/matMul: c spans elements \[0, 20\) of a tensor of 19/);
    expect(Array.from(c.dataSync())).toEqual(Array(19).fill(7));
    tf.dispose([a, b, c]);
  });

  it('refuses batches that do not broadcast, a bias of the wrong length and unknown activations', () => {
    const [a, b, bias, c] = [tf.ones([2, 2, 2]), tf.ones([3, 2, 2]), tf.ones([1]), tf.zeros([12])];
    const regions = (withBias: boolean) => [{ tensor: a }, { tensor: b }, withBias ? { tensor: bias } : null, { tensor: c }];
    expect(() => heap().run(matMul, regions(false), [2, 3, 2, 2, 2, 0, 0, 0], [0])).toThrow(/batches must match or be 1/);
    expect(() => heap().run(matMul, regions(true), [1, 1, 2, 2, 2, 0, 0, 0], [0])).toThrow(/bias spans elements \[0, 2\) of a tensor of 1/);
    expect(() => heap().run(matMul, regions(false), [1, 1, 2, 2, 2, 0, 0, 9], [0])).toThrow(/unknown activation 9/);
    tf.dispose([a, b, bias, c]);
  });

  it("refuses a convolution's input shorter than its window and zero strides", () => {
    const [x, w, y] = [tf.ones([1, 4, 4, 2]), tf.ones([3, 3, 2, 3]), tf.zeros([48])];
    const sizes = (inHeight: number, stride: number) => [1, inHeight, 4, 2, 4, 4, 3, 3, stride, stride, 1, 1, 3, 0];
    const regions = [{ tensor: x }, { tensor: w }, null, { tensor: y }];
    expect(() => heap().run(conv2d, regions, sizes(5, 1), [0])).toThrow(/x spans elements \[0, 40\) of a tensor of 32/);
    expect(() => heap().run(conv2d, regions, sizes(4, 0), [0])).toThrow(/strides must be at least 1/);
    tf.dispose([x, w, y]);
  });

  it("refuses a sigmoid gradient past its tensors, and leaves the output untouched", () => {
    const [y, dy, dx] = [tf.ones([8]), tf.ones([7]), tf.fill([8], 7)];
    const call = () => heap().run(sigmoidGradientHeap, [{ tensor: y }, { tensor: dy }, { tensor: dx }], [8]);
    expect(call).toThrow(/sigmoidGradient: dy spans elements \[0, 8\) of a tensor of 7/);
    expect(Array.from(dx.dataSync())).toEqual(Array(8).fill(7));
    tf.dispose([y, dy, dx]);
  });

  it('refuses a summed binary cross-entropy past its targets or without room for its output, and leaves the output untouched', () => {
    const [p, t, out, none, dp] = [tf.ones([8]), tf.ones([7]), tf.fill([1], 7), tf.zeros([0]), tf.fill([8], 7)];
    expect(() => heap().run(binaryCrossEntropySumHeap, [{ tensor: p }, { tensor: t }, { tensor: out }], [8], [1])).toThrow(/binaryCrossEntropySum: t spans elements \[0, 8\) of a tensor of 7/);
    expect(() => heap().run(binaryCrossEntropySumHeap, [{ tensor: p }, { tensor: p }, { tensor: none }], [8], [1])).toThrow(/out spans elements \[0, 1\) of a tensor of 0/);
    expect(() => heap().run(binaryCrossEntropySumGradientHeap, [{ tensor: p }, { tensor: p }, { tensor: none }, { tensor: dp }], [8], [1])).toThrow(/dy spans/);
    expect(Array.from(out.dataSync())).toEqual([7]);
    expect(Array.from(dp.dataSync())).toEqual(Array(8).fill(7));
    tf.dispose([p, t, out, none, dp]);
  });

  it('the addon itself refuses pointers outside the heap and wrong arguments', () => {
    const binding = nativeBinding().binding!;
    const memory = new WebAssembly.Memory({ initial: 1 });
    const matMulOf = binding.matMul as (...args: unknown[]) => void;
    expect(() => matMulOf(memory.buffer, 0, 0, -1, 70000, 1, 1, 1, 1, 1, 0, 0, 0, 0)).toThrow(/a pointer lies outside the heap/);
    expect(() => matMulOf(memory.buffer, 0, 0, -1)).toThrow(/wrong number of arguments/);
    expect(() => matMulOf(new Float32Array(4), 0, 0, -1, 0, 1, 1, 1, 1, 1, 0, 0, 0, 0)).toThrow(/ArrayBuffer/);
    expect(() => matMulOf(memory.buffer, 0, 0, -1, 0, -1, 1, 1, 1, 1, 0, 0, 0, 0)).toThrow(/non-negative/);
    const sigmoidGradientOf = binding.sigmoidGradient as (...args: unknown[]) => void;
    expect(() => sigmoidGradientOf(memory.buffer, 0, 70000, 0, 4)).toThrow(/a pointer lies outside the heap/);
    expect(() => sigmoidGradientOf(memory.buffer, 0, 0, 0)).toThrow(/wrong number of arguments/);
    const sumOf = binding.binaryCrossEntropySum as (...args: unknown[]) => void;
    expect(() => sumOf(memory.buffer, 0, 0, 70000, 4, 1)).toThrow(/a pointer lies outside the heap/);
    expect(() => sumOf(memory.buffer, 0, 0, 0, 4)).toThrow(/wrong number of arguments/);
  });
});

describe('every instruction set the CPU runs', () => {
  it('gives the same products and convolutions on the SSE2 build as on the one chosen', async () => {
    const { execFileSync } = await import('node:child_process');
    const script = new URL('./isa-sample.mjs', import.meta.url).pathname;
    const run = (isa?: string) => JSON.parse(execFileSync(process.execPath, [script], { env: { ...process.env, AEKIT_NATIVE_ISA: isa ?? '' }, encoding: 'utf8' })) as { isa: string; values: number[] };
    const [chosen, baseline] = [run(), run('sse2')];
    expect(baseline.isa).toBe('sse2');
    expect(chosen.values.length).toBeGreaterThan(100);
    chosen.values.forEach((v, i) => expect(Math.abs(v - baseline.values[i]!)).toBeLessThan(1e-4 * Math.max(1, Math.abs(v))));
    const cpuFlags = createRequire(import.meta.url)('node:fs').readFileSync('/proc/cpuinfo', 'utf8') as string;
    if (/\bavx512f\b/.test(cpuFlags) && /\bavx512bw\b/.test(cpuFlags)) expect(chosen.isa).toBe('avx512');
    else if (/\bavx2\b/.test(cpuFlags) && /\bfma\b/.test(cpuFlags)) expect(chosen.isa).toBe('avx2');
  });
});
