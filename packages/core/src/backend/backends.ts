import '@tensorflow/tfjs-backend-wasm';
import { tf } from '../tf.js';
import { BackendError } from '../errors.js';
import { prepareKernels } from './kernel-packages.js';

// Importing the wasm backend registers it with the highest priority, which
// leaves tfjs refusing every op until it has been initialised asynchronously.
// Until `useBackend` is awaited, run on the synchronous cpu backend instead,
// so that importing aekit never leaves tfjs unusable.
if (!tf.engine().backendName) void tf.setBackend('cpu');

/** The backends aekit can run on. */
export const BACKEND_NAMES = ['wasm', 'cpu', 'webgl'] as const;

/** Name of a backend aekit can run on. */
export type BackendName = (typeof BACKEND_NAMES)[number];

/** True when running under Node.js rather than in a browser. */
export function isNode(): boolean {
  return typeof process !== 'undefined' && typeof process.versions?.node === 'string';
}

/**
 * The backend used when none is named: `wasm` in Node (it trains every
 * family with SIMD, and with the kernels of `@aekit/kernels-wasm` once
 * registered, where `cpu` runs plain JavaScript loops; bench/results.md
 * has the speeds), `webgl` in a browser
 * that has it, otherwise `wasm`.
 */
export function defaultBackend(): BackendName {
  if (isNode()) return 'wasm';
  return hasWebGl() ? 'webgl' : 'wasm';
}

function hasWebGl(): boolean {
  try {
    return typeof document !== 'undefined' && document.createElement('canvas').getContext('webgl2') !== null;
  } catch {
    return false;
  }
}

/**
 * Makes a backend the active one and waits until it is ready, with the
 * kernels of every package added by {@link useKernels} registered first.
 *
 * @example
 * ```ts
 * import { useBackend } from '@aekit/core';
 *
 * const name = await useBackend(); // webgl in a browser that has it, wasm in Node
 * await useBackend('cpu'); // or one by name; an unknown one throws a BackendError naming the choices
 * console.log(name);
 * ```
 * @param name - `wasm`, `cpu` or `webgl`; the {@link defaultBackend} when omitted or `auto`.
 * @returns The name of the backend now in use.
 * @throws BackendError for an unknown name, or one that cannot start here
 *   (such as `webgl` in Node).
 */
export async function useBackend(name?: string): Promise<BackendName> {
  const wanted = name === undefined || name === 'auto' ? defaultBackend() : name;
  if (!(BACKEND_NAMES as readonly string[]).includes(wanted)) {
    throw new BackendError(`unknown backend '${wanted}'; expected one of ${BACKEND_NAMES.join(', ')} or auto`);
  }
  if (wanted === 'webgl' && isNode()) {
    throw new BackendError("backend 'webgl' is not available in Node.js; use wasm or cpu");
  }
  await prepareKernels(wanted);
  let ok = false;
  try {
    ok = await tf.setBackend(wanted);
    await tf.ready();
  } catch (error) {
    throw new BackendError(`backend '${wanted}' failed to start: ${(error as Error).message}`);
  }
  if (!ok || tf.getBackend() !== wanted) {
    throw new BackendError(`backend '${wanted}' is not available in this environment`);
  }
  return wanted as BackendName;
}
