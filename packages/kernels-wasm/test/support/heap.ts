// What the per-kernel tests (src/kernels/*/*.test.ts) share: the heap
// kernels bound to the wasm backend, tensors on its heap, and seeded values.
import { afterAll, beforeAll, expect } from 'vitest';
import { tf, useBackend } from '@aekit/core';
import { createRng } from '@aekit/core';
import type { WasmHeapBackend } from '../../src/heap/heap-backend.js';
import { heapKernels, type HeapKernels } from '../../src/heap/heap-kernels.js';
import { WINDOW, type WindowSizes } from '../../src/heap/window.js';

/** Switches to wasm and returns its heap kernels (SIMD is on in every Node aekit supports). */
export async function wasmHeapKernels(): Promise<HeapKernels> {
  await useBackend('wasm');
  const kernels = heapKernels(tf.backend() as WasmHeapBackend);
  if (!kernels) throw new Error('the heap kernels did not instantiate');
  return kernels;
}

/** `n` seeded values in [low, high). */
export function seeded(seed: string, n: number, low = -1, high = 1): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: n }, () => low + (high - low) * rng());
}

/** A float32 tensor of `values` (or `n` zeros) on the current backend. */
export function tensor(values: Float32Array | number[] | number, shape?: number[]): tf.Tensor {
  const data = typeof values === 'number' ? new Float32Array(values) : Float32Array.from(values);
  return tf.tensor(data, shape ?? [data.length], 'float32');
}

/** A tensor's values. */
export function values(t: tf.Tensor): Float32Array {
  return t.dataSync() as Float32Array;
}

/**
 * Expects `call` to be refused with a RangeError before it reaches wasm:
 * `untouched` (an output) still holds what it held.
 */
export function expectRefused(call: () => void, untouched: tf.Tensor, message?: RegExp): void {
  const before = values(untouched).slice();
  expect(call).toThrow(RangeError);
  if (message) expect(call).toThrow(message);
  expect(values(untouched)).toEqual(before);
}

/** Expects `actual` within `tolerance` of `expected`, elementwise, relative to max(1, |expected|). */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance = 1e-5): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i]!;
    const scale = Math.max(1, Math.abs(e));
    if (!(Math.abs(actual[i]! - e) <= tolerance * scale)) {
      throw new Error(`element ${i}: expected ${e}, got ${actual[i]}`);
    }
  }
}

/** A window's geometry, as the heap functions take it. */
export type Window = WindowSizes;

/** The window of a `size` x `size` filter with `stride` and 'same' padding over `[batch, h, w]` images. */
export function sameWindow(batch: number, h: number, w: number, channels: number, size: number, stride: number): Window {
  const outHeight = Math.ceil(h / stride);
  const outWidth = Math.ceil(w / stride);
  const padH = Math.max(0, (outHeight - 1) * stride + size - h);
  const padW = Math.max(0, (outWidth - 1) * stride + size - w);
  return { batch, inHeight: h, inWidth: w, channels, outHeight, outWidth, filterHeight: size, filterWidth: size, strideHeight: stride, strideWidth: stride, top: padH >> 1, left: padW >> 1 };
}

/** The window as the heap functions take it, with `channels` in place of its own. */
export function windowSizes(w: Window, channels = w.channels): number[] {
  return WINDOW.map((name) => (name === 'channels' ? channels : w[name]));
}

/**
 * Calls `visit` for every filter tap inside the image of every output
 * position: the loops that the convolution references share.
 */
export function forEachTap(win: Window, visit: (n: number, oh: number, ow: number, kh: number, kw: number, ih: number, iw: number) => void): void {
  for (let n = 0; n < win.batch; n++)
    for (let oh = 0; oh < win.outHeight; oh++)
      for (let ow = 0; ow < win.outWidth; ow++)
        for (let kh = 0; kh < win.filterHeight; kh++) {
          const ih = oh * win.strideHeight + kh - win.top;
          if (ih < 0 || ih >= win.inHeight) continue;
          for (let kw = 0; kw < win.filterWidth; kw++) {
            const iw = ow * win.strideWidth + kw - win.left;
            if (iw >= 0 && iw < win.inWidth) visit(n, oh, ow, kh, kw, ih, iw);
          }
        }
}

/**
 * Direct NHWC convolution of `x` ([batch, inH, inW, ci]) with `w`
 * ([fh, fw, ci, co]) over the window, in float64: the reference for the
 * convolution kernels and their gradients.
 */
export function convolve(x: Float32Array, w: Float32Array, ci: number, co: number, win: Window, bias?: Float32Array): Float64Array {
  const y = new Float64Array(win.batch * win.outHeight * win.outWidth * co);
  if (bias) y.forEach((_, i) => (y[i] = bias[i % co]!));
  forEachTap(win, (n, oh, ow, kh, kw, ih, iw) => {
    const out = ((n * win.outHeight + oh) * win.outWidth + ow) * co;
    for (let c = 0; c < ci; c++) {
      const xv = x[((n * win.inHeight + ih) * win.inWidth + iw) * ci + c]!;
      for (let o = 0; o < co; o++) y[out + o] += xv * w[((kh * win.filterWidth + kw) * ci + c) * co + o]!;
    }
  });
  return y;
}

/** dw[kh, kw, ci, co] = sum over (n, oh, ow) of x[n, ih, iw, ci] dy[n, oh, ow, co], in float64. */
export function filterGradientReference(x: Float32Array, dy: Float32Array, ci: number, co: number, win: Window): Float64Array {
  const dw = new Float64Array(win.filterHeight * win.filterWidth * ci * co);
  forEachTap(win, (n, oh, ow, kh, kw, ih, iw) => {
    for (let c = 0; c < ci; c++)
      for (let o = 0; o < co; o++)
        dw[((kh * win.filterWidth + kw) * ci + c) * co + o] += x[((n * win.inHeight + ih) * win.inWidth + iw) * ci + c]! * dy[((n * win.outHeight + oh) * win.outWidth + ow) * co + o]!;
  });
  return dw;
}

/**
 * The heap kernels for a test file: switches to wasm before its tests and
 * back to cpu after them.
 */
export function heapKernelsForTests(): HeapKernels {
  let kernels: HeapKernels | undefined;
  beforeAll(async () => {
    kernels = await wasmHeapKernels();
  });
  afterAll(() => useBackend('cpu'));
  return { run: (...args) => kernels!.run(...args) };
}
