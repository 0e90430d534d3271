import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A native heap function: the heap's buffer, then byte offsets, sizes and floats, as the contract of its name lists them. */
export type NativeFunction = (heap: ArrayBuffer, ...args: number[]) => void;

/** What the prebuilt addon exports (native/addon.cc). */
export interface NativeBinding {
  readonly [heapFunction: string]: unknown;
  /** The instruction set of the kernels chosen at load (`avx512`, `avx2` or `sse2`), and the threads they use. */
  info(): { isa: string; threads: number };
  /** Threads the kernels use, the calling one included. */
  setThreads(threads: number): void;
}

/** The addon, or why it did not load. */
export type BindingLoad = { binding: NativeBinding; reason?: undefined } | { binding?: undefined; reason: string };

/** The package's folder, where `prebuilds/<platform>-<arch>/` lies. */
const PACKAGE_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Loads the prebuilt addon for this platform from `dir`'s `prebuilds/`
 * with node-gyp-build (the convention of prebuildify), never compiling:
 * where none fits, or it fails to load (another C library, a CPU without
 * SSE2…), says why in a few words. `AEKIT_NATIVE=0` in the environment
 * turns the native kernels off.
 *
 * @param dir - The folder holding `prebuilds/`; the package's own by default.
 */
export function loadBinding(dir = PACKAGE_DIR): BindingLoad {
  if (process.env.AEKIT_NATIVE === '0') return { reason: 'turned off by AEKIT_NATIVE=0' };
  const require = createRequire(import.meta.url);
  const load = require('node-gyp-build') as { path(dir: string): string };
  let file: string;
  try {
    file = load.path(dir);
  } catch {
    return { reason: `no prebuilt binary for ${process.platform}-${process.arch}` };
  }
  try {
    return { binding: require(file) as NativeBinding };
  } catch (error) {
    return { reason: `the prebuilt binary did not load: ${(error as Error).message.split('\n')[0]}` };
  }
}
