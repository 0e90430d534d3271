import { tf } from '@aekit/core';
import { HEAP_KERNELS_WASM_BASE64 } from './heap-module.js';
import { heapMemory, heapOffset, type WasmHeapBackend } from './heap-backend.js';

/**
 * The contract of one of the heap module's functions (each written in C in
 * the folder of the kernel that calls it): its export name, its pointer and
 * integer arguments, and how many 4-byte elements each pointer's region is
 * read or written over, so that {@link HeapKernels.run} can refuse a call
 * that would reach past a tensor before it enters WebAssembly (which would
 * silently read or overwrite other tensors on tfjs' heap).
 * @internal
 */
export interface HeapFunction<Sizes extends readonly string[] = readonly string[]> {
  /** The export's name in the module. */
  readonly name: string;
  /** The pointer arguments, in order. */
  readonly pointers: readonly string[];
  /** Pointers that may be absent (passed as -1), such as a bias. */
  readonly optional?: readonly string[];
  /** The integer arguments after the pointers, in order; each a non-negative int32. */
  readonly sizes: Sizes;
  /** Elements each pointer's region spans, given the sizes. */
  extents(sizes: Record<Sizes[number], number>): readonly number[];
  /** Why the sizes cannot be run (e.g. channels not a multiple of 4), or undefined. */
  refuse?(sizes: Record<Sizes[number], number>): string | undefined;
}

/**
 * Where a heap function's pointer points: a tensor on the wasm heap, from
 * its element `from` (0 when omitted).
 * @internal
 */
export interface HeapRegion {
  tensor: tf.TensorInfo;
  from?: number;
}

/**
 * The heap kernels bound to one wasm backend: SIMD loops that work in place
 * on tfjs' heap.
 * @internal
 */
export interface HeapKernels {
  /**
   * Calls `fn` on `regions` (one a pointer; `null` for an absent optional
   * one), the integer `sizes` and then any float arguments.
   * @throws RangeError when a size is not a non-negative int32, the sizes
   *   are refused, or a region would reach past its tensor's elements.
   */
  run<S extends readonly string[]>(fn: HeapFunction<S>, regions: readonly (HeapRegion | null)[], sizes: readonly number[], floats?: readonly number[]): void;
}

type HeapExports = Record<string, (...args: number[]) => void>;

/**
 * A heap function run outside WebAssembly, in place on the same heap: called
 * with the heap's `ArrayBuffer`, then the byte offsets, sizes and floats the
 * wasm export would take (`@aekit/kernels-native`'s native kernels).
 * @internal
 */
export type RoutedHeapFunction = (heap: ArrayBuffer, ...args: number[]) => void;

/** Heap functions that run natively instead, by name; see {@link routeHeapFunctions}. */
let routed: Readonly<Record<string, RoutedHeapFunction>> | undefined;

/**
 * Runs the heap functions named in `functions` through them instead of the
 * wasm module, after the same bounds checks (`undefined` restores the wasm
 * module for all). For native kernels that implement the same contracts.
 * @internal
 */
export function routeHeapFunctions(functions: Readonly<Record<string, RoutedHeapFunction>> | undefined): void {
  routed = functions;
}

let compiled: WebAssembly.Module | null | undefined;
let instances = new WeakMap<WebAssembly.Memory, HeapExports | null>();
/** The import module the heap module's memory comes from: `env`, as lld names it. */
let memoryImport = 'env';

/**
 * Runs `module` as the heap module from now on, its memory imported from
 * `memoryModule`: for `bench/train-heap-builds.mjs`, which trains with two
 * builds of the module in turns in one process. Not for use elsewhere.
 * @internal
 */
export function replaceHeapModuleForBenchmark(module: WebAssembly.Module, memoryModule: string): void {
  compiled = module;
  memoryImport = memoryModule;
  instances = new WeakMap();
}

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
  const memory = heapMemory(backend);
  if (!memory) return undefined;
  let exports = instances.get(memory);
  if (exports === undefined) {
    exports = instantiate(memory);
    instances.set(memory, exports);
  }
  if (!exports) return undefined;
  const bound = exports;
  return {
    run: (fn, regions, sizes, floats = []) => {
      const offsets = heapCallOffsets(backend, memory.buffer.byteLength, fn, regions, sizes);
      const native = routed?.[fn.name];
      // The buffer is read after the checks: growing the memory replaces it.
      if (native) native(memory.buffer, ...offsets, ...sizes, ...floats);
      else bound[fn.name]!(...offsets, ...sizes, ...floats);
    },
  };
}

/** The module's exports by name, for tests that list them. @internal */
export function heapExportNames(backend: WasmHeapBackend): string[] | undefined {
  const memory = heapMemory(backend);
  if (!memory || !heapKernels(backend)) return undefined;
  return Object.keys(instances.get(memory)!);
}

const INT32_MAX = 2 ** 31 - 1;

/**
 * Checks a call of `fn` on `regions`, `sizes` against its contract and
 * returns the byte offset on the heap of each pointer (-1 for an absent
 * optional one): what {@link HeapKernels.run} passes to WebAssembly, and
 * what a native twin of the function (working on the same heap) is given.
 * `heapBytes` is the heap's current size (`memory.buffer.byteLength`).
 *
 * @throws RangeError when the counts of pointers or sizes are wrong, a size
 *   is not a non-negative int32, the sizes are refused, or a region would
 *   reach past its tensor's elements or the heap.
 */
export function heapCallOffsets<S extends readonly string[]>(
  backend: WasmHeapBackend,
  heapBytes: number,
  fn: HeapFunction<S>,
  regions: readonly (HeapRegion | null)[],
  sizes: readonly number[],
): number[] {
  if (regions.length !== fn.pointers.length || sizes.length !== fn.sizes.length) {
    throw new RangeError(`${fn.name} takes ${fn.pointers.length} pointers and ${fn.sizes.length} sizes, got ${regions.length} and ${sizes.length}`);
  }
  const named = {} as Record<S[number], number>;
  fn.sizes.forEach((name, i) => {
    const value = sizes[i]!;
    if (!Number.isInteger(value) || value < 0 || value > INT32_MAX) throw new RangeError(`${fn.name}: ${name} must be a non-negative int32, got ${value}`);
    named[name as S[number]] = value;
  });
  const refusal = fn.refuse?.(named);
  if (refusal) throw new RangeError(`${fn.name}: ${refusal}`);
  const extents = fn.extents(named);
  return regions.map((region, i) => {
    const pointer = fn.pointers[i]!;
    if (region === null) {
      if (!fn.optional?.includes(pointer)) throw new RangeError(`${fn.name}: ${pointer} is required`);
      return -1;
    }
    const elements = tf.util.sizeFromShape(region.tensor.shape);
    const from = region.from ?? 0;
    const extent = extents[i]!;
    if (!Number.isInteger(from) || from < 0 || (extent > 0 && from + extent > elements)) {
      throw new RangeError(`${fn.name}: ${pointer} spans elements [${from}, ${from + extent}) of a tensor of ${elements}`);
    }
    if (tf.util.bytesPerElement(region.tensor.dtype) !== 4) throw new RangeError(`${fn.name}: ${pointer} must be 4-byte elements, got ${region.tensor.dtype}`);
    const at = heapOffset(backend, region.tensor) + from * 4;
    if (at + extent * 4 > heapBytes) throw new RangeError(`${fn.name}: ${pointer} reaches past the wasm heap`);
    return at;
  });
}

function instantiate(memory: WebAssembly.Memory): HeapExports | null {
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
    return new WebAssembly.Instance(compiled, { [memoryImport]: { memory } }).exports as unknown as HeapExports;
  } catch {
    return null; // e.g. a shared memory, which the module does not declare
  }
}

function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  return Uint8Array.from(binary, (ch) => ch.charCodeAt(0));
}
