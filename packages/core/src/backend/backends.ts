import '@tensorflow/tfjs-backend-wasm';
import { tf } from '../tf.js';
import { BackendError } from '../errors.js';
import { prepareKernels } from './kernel-packages.js';
import { backendProvider, backendProviders, type BackendProvider, type BackendWork } from './provider.js';

// Importing the wasm backend registers it with the highest priority, which
// leaves tfjs refusing every op until it has been initialised asynchronously.
// Until `useBackend` is awaited, run on the synchronous cpu backend instead,
// so that importing aekit never leaves tfjs unusable.
if (!tf.engine().backendName) void tf.setBackend('cpu');

/**
 * The backends aekit can run on. `native` is tfjs' wasm backend with the
 * heavy kernels run natively on every core; it needs `@aekit/kernels-native`
 * imported (the `ae` command imports it) and a prebuilt binary for this
 * platform.
 */
export const BACKEND_NAMES = ['native', 'wasm', 'cpu', 'webgl'] as const;

/** Name of a backend aekit can run on. */
export type BackendName = (typeof BACKEND_NAMES)[number];

/**
 * True when running under Node.js rather than in a browser.
 *
 * @example
 * ```ts
 * import { isNode } from '@aekit/core';
 *
 * isNode(); // true under Node (in a worker thread too), false in a browser
 * ```
 */
export function isNode(): boolean {
  return typeof process !== 'undefined' && typeof process.versions?.node === 'string';
}

/**
 * The backend used when none is named: in Node, the first registered
 * provider that can run here and {@link BackendProvider.prefers} `work`
 * (`native` only for the families on which `pnpm bench` measured its
 * kernels faster than wasm in the same run), else `wasm` (it trains every
 * family with SIMD, and with the kernels of `@aekit/kernels-wasm` once
 * registered, where `cpu` runs plain JavaScript loops; bench/results.md has
 * the speeds); `webgl` in a browser that has it, otherwise `wasm`.
 *
 * @example
 * ```ts
 * import { defaultBackend } from '@aekit/core';
 * import '@aekit/kernels-native'; // registers the `native` provider
 *
 * defaultBackend(); // 'wasm' in Node ('webgl' in a browser that has it)
 * defaultBackend({ family: 'conv' }); // 'native' where its kernels were measured faster for conv and a binary runs here
 * ```
 * @param work - What the backend is for (the family that will run); without a family no provider is picked.
 */
export function defaultBackend(work: BackendWork = {}): BackendName {
  if (isNode()) return (autoProvider(work)?.name as BackendName | undefined) ?? 'wasm';
  return hasWebGl() ? 'webgl' : 'wasm';
}

function autoProvider(work: BackendWork): BackendProvider | undefined {
  return backendProviders().find((p) => p.unavailable() === undefined && p.prefers?.(work) === true);
}

/**
 * Which kernels `auto` runs for `work` and why, one line per registered
 * provider: the one it picks (measured faster on the family), or why it
 * does not pick one (`native kernels unavailable: no prebuilt binary for
 * linux-arm64`, or not measured faster on the family), for the `ae`
 * command to say which kernels run.
 *
 * @example
 * ```ts
 * import { backendNotices, useBackend } from '@aekit/core';
 * import '@aekit/kernels-native';
 *
 * await useBackend('auto', { family: 'dense' });
 * for (const notice of backendNotices({ family: 'dense' })) console.log(notice);
 * // running the native kernels: measured faster than the wasm ones for the dense family (--backend wasm picks those)
 * // (or, where the bench did not measure them faster: running the wasm kernels: the native ones were not measured faster …)
 * ```
 * @param work - What the backend is for, as given to {@link useBackend}.
 */
export function backendNotices(work: BackendWork = {}): string[] {
  const chosen = autoProvider(work);
  const what = work.family === undefined ? 'this command' : `the ${work.family} family`;
  return backendProviders().flatMap((p) => {
    if (p === chosen) return [`running the ${p.name} kernels: measured faster than the ${p.tfjsBackend} ones for ${what} (--backend ${p.tfjsBackend} picks those)`];
    const reason = p.unavailable();
    if (reason !== undefined) return [`${p.name} kernels unavailable (${reason}); running the ${p.tfjsBackend} kernels`];
    return [`running the ${p.tfjsBackend} kernels: the ${p.name} ones were not measured faster for ${what} (--backend ${p.name} picks them anyway)`];
  });
}

let active: BackendProvider | undefined;

/**
 * The name of the backend in use as aekit calls it: a provider's (`native`) where one is active, else tfjs'.
 *
 * @example
 * ```ts
 * import { activeBackendName, useBackend } from '@aekit/core';
 * import '@aekit/kernels-native';
 *
 * await useBackend('native');
 * activeBackendName(); // 'native' (tfjs itself reports 'wasm', the backend it runs on)
 * ```
 */
export function activeBackendName(): string {
  return active?.name ?? tf.getBackend();
}

/** The provider in use, if any. @internal */
export function activeBackendProvider(): BackendProvider | undefined {
  return active;
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
 * @param name - `wasm`, `cpu` or `webgl`, or a registered provider's name (`native`); the {@link defaultBackend} for `work` when omitted or `auto`.
 * @param work - What the backend is for, so that `auto` can pick per family.
 * @returns The name of the backend now in use.
 * @throws BackendError for an unknown name, or one that cannot start here
 *   (such as `webgl` in Node).
 */
export async function useBackend(name?: string, work: BackendWork = {}): Promise<BackendName> {
  const requested = name === undefined || name === 'auto' ? defaultBackend(work) : name;
  const provider = backendProvider(requested);
  if (!provider && !(BACKEND_NAMES as readonly string[]).includes(requested)) {
    throw new BackendError(`unknown backend '${requested}'; expected one of ${BACKEND_NAMES.join(', ')} or auto`);
  }
  if (requested === 'native' && !provider) {
    throw new BackendError("backend 'native' needs @aekit/kernels-native: install it and import it before choosing the backend");
  }
  const reason = provider?.unavailable();
  if (reason !== undefined) throw new BackendError(`backend '${requested}' cannot run here: ${reason}`);
  if (requested === 'webgl' && isNode()) {
    throw new BackendError("backend 'webgl' is not available in Node.js; use wasm or cpu");
  }
  const wanted = provider?.tfjsBackend ?? requested;
  await prepareKernels(wanted);
  if (active && active !== provider) active.activate(false);
  active = undefined;
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
  if (provider) {
    provider.activate(true);
    active = provider;
  }
  return requested as BackendName;
}
