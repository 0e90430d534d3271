import type { tf } from '../../tf.js';
import { HEAP_KERNELS_WASM_BASE64 } from './heap-kernels-binary.js';
import type { WasmHeapBackend } from './heap-backend.js';

/**
 * SIMD loops that work in place on the wasm backend's heap
 * (source: `wasm/heap-kernels.wat`). Pointers are byte offsets; sizes and
 * strides count 4-byte elements.
 * @internal
 */
export interface HeapKernels {
  /** `dst[c * dstStride + r] = src[r * srcStride + c]` for a `rows` x `cols` matrix. */
  transpose2d(src: number, dst: number, rows: number, cols: number, srcStride: number, dstStride: number): void;
  /** `[a, b, n]` to `[b, a, n]`, moving runs of `n` elements. */
  swapOuterAxes(src: number, dst: number, a: number, b: number, n: number): void;
  /** Column sums of a float32 `[rows, cols]` matrix into `cols` elements at `dst`. */
  sumRows(src: number, dst: number, rows: number, cols: number): void;
  /**
   * Filter gradient of an NHWC convolution without dilation, laid out
   * `[kh, kw, scalar, wide]`: the wide side (`x` when `xIsWide` is 1, else
   * `dy`; its channel count, a multiple of 4, is the window's `channels`)
   * summed as vectors, the other side's `scalarChannels` one at a time.
   */
  filterGradient(x: number, dy: number, dw: number, ...rest: [...window: WindowGeometry, scalarChannels: number, xIsWide: number]): void;
  /** Max-pooling gradient (NHWC) for windows that do not overlap; `channels` a multiple of 4. */
  maxPoolGradient(x: number, dy: number, dx: number, ...window: WindowGeometry): void;
  /** Convolution (NHWC) with one output channel; `channels` a multiple of 4, `bias` a pointer or -1. */
  singleOutputConvolution(x: number, w: number, bias: number, y: number, ...window: WindowGeometry): void;
  /** Convolution (NHWC) of one input channel; the window's `channels` are the outputs, a multiple of 4 and at least 16; `bias` a pointer or -1. */
  singleInputConvolution(x: number, w: number, bias: number, y: number, ...window: WindowGeometry): void;
  /** Nearest-neighbour up-sampling (NHWC) of `[batch, height, width, channels]` by whole factors; `channels` a multiple of 4. */
  upsampleNearest(src: number, dst: number, batch: number, height: number, width: number, channels: number, sh: number, sw: number): void;
  /** Its gradient: `dx` (`[batch, height, width, channels]`) gets the block sums of `dy`. */
  upsampleNearestGradient(dy: number, dx: number, batch: number, height: number, width: number, channels: number, sh: number, sw: number): void;
  /** `dst = src + vector` row by row, for a float32 `[rows, cols]` matrix and a `[cols]` vector; `cols` a multiple of 4. */
  addToRows(src: number, vector: number, dst: number, rows: number, cols: number): void;
  /** Elementwise `-(t log p + (1 - t) log(1 - p))` of `n` outputs `p` and targets `t`, `p` clipped to `[1e-7, 1 - 1e-7]`. */
  binaryCrossEntropy(p: number, t: number, out: number, n: number): void;
  /** Its gradient for the outputs times `dy`: `dy (p - t) / (p (1 - p))`, `p` clipped the same way. */
  binaryCrossEntropyGradient(p: number, t: number, dy: number, dp: number, n: number): void;
  /** One Adam step for `n` weights into fresh buffers, as tfjs' AdamOptimizer computes it (`c1`, `c2`: `1 - beta^t`). */
  adamUpdate(
    value: number,
    m: number,
    v: number,
    gradient: number,
    newValue: number,
    newM: number,
    newV: number,
    n: number,
    beta1: number,
    oneMinusBeta1: number,
    beta2: number,
    oneMinusBeta2: number,
    c1: number,
    c2: number,
    epsilon: number,
    negativeRate: number,
  ): void;
  /** The ReLU's gradient `dx = dy * step(x)` for `n` elements (NaN where `x` is NaN). */
  reluGradient(x: number, dy: number, dx: number, n: number): void;
}

/**
 * A sliding window's geometry as the pooling and convolution kernels take it:
 * batch, input height, width and channels, output height and width, window
 * height and width, strides, and the padding before the first row and column.
 * @internal
 */
export type WindowGeometry = [
  batch: number,
  inHeight: number,
  inWidth: number,
  channels: number,
  outHeight: number,
  outWidth: number,
  filterHeight: number,
  filterWidth: number,
  strideHeight: number,
  strideWidth: number,
  top: number,
  left: number,
];

/**
 * The {@link WindowGeometry} of a tfjs convolution or pooling; `channels`
 * replaces its input channels where a kernel counts another side's.
 * @internal
 */
export function windowGeometry(info: tf.backend_util.Conv2DInfo, channels = info.inChannels): WindowGeometry {
  return [
    info.batchSize,
    info.inHeight,
    info.inWidth,
    channels,
    info.outHeight,
    info.outWidth,
    info.filterHeight,
    info.filterWidth,
    info.strideHeight,
    info.strideWidth,
    info.padInfo.top,
    info.padInfo.left,
  ];
}

let compiled: WebAssembly.Module | null | undefined;
const instances = new WeakMap<WebAssembly.Memory, HeapKernels | null>();

/**
 * Compiles the heap kernels' module ahead of use, asynchronously:
 * browsers refuse to compile modules over 4 KB synchronously on the main
 * thread. `useBackend` awaits it before switching to wasm.
 * @internal
 */
export async function prepareHeapKernels(): Promise<void> {
  if (compiled !== undefined) return;
  try {
    compiled = await WebAssembly.compile(decodeBase64(HEAP_KERNELS_WASM_BASE64));
  } catch {
    compiled = null; // no SIMD here
  }
}

/**
 * The heap kernels bound to `backend`'s memory, or `undefined` where they
 * cannot run (no SIMD, or the multi-threaded build's shared memory), in
 * which case callers fall back to the backend's own kernels.
 * @internal
 */
export function heapKernels(backend: WasmHeapBackend): HeapKernels | undefined {
  const memory = backend.wasm?.asm?.memory;
  if (!(memory instanceof WebAssembly.Memory)) return undefined;
  let kernels = instances.get(memory);
  if (kernels === undefined) {
    kernels = instantiate(memory);
    instances.set(memory, kernels);
  }
  return kernels ?? undefined;
}

function instantiate(memory: WebAssembly.Memory): HeapKernels | null {
  if (compiled === undefined) {
    // Not prepared (a backend set without useBackend): compiling synchronously
    // works in Node and in workers; a browser's main thread refuses it, and
    // the backend's own kernels run instead.
    try {
      compiled = new WebAssembly.Module(decodeBase64(HEAP_KERNELS_WASM_BASE64));
    } catch {
      return null;
    }
  }
  if (compiled === null) return null;
  try {
    return new WebAssembly.Instance(compiled, { tfjs: { memory } }).exports as unknown as HeapKernels;
  } catch {
    return null; // e.g. a shared memory, which the module does not declare
  }
}

function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  return Uint8Array.from(binary, (ch) => ch.charCodeAt(0));
}
