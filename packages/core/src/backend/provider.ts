/**
 * A backend that runs on one of tfjs' own with kernels of its own in place
 * of some of that backend's: `@aekit/kernels-native` registers `native`
 * (tfjs' wasm backend, with the heavy kernels run natively on every core in
 * place on its heap). A package registers its provider when imported, as a
 * tfjs backend package does, with {@link registerBackendProvider}, and its
 * kernels with `useKernels` (whose module, imported by worker threads,
 * registers the provider there too); core knows no implementation.
 */
export interface BackendProvider {
  /** The name `useBackend` and `--backend` take. */
  readonly name: string;
  /** The tfjs backend it runs on. */
  readonly tfjsBackend: 'wasm';
  /** Why it cannot run here (no prebuilt binary for this platform, say), or undefined when it can. */
  unavailable(): string | undefined;
  /**
   * Switches its kernels on (true) when it becomes the backend in use, off when another does.
   *
   * @param on - Whether it is now the backend in use.
   */
  activate(on: boolean): void;
  /** Threads its kernels use; above 1, training defaults to one worker thread. */
  threads(): number;
  /**
   * Whether `auto` picks this backend for `work`: a provider says yes only
   * for work on which it was measured faster than the backend it runs on,
   * in the same run. Without it, or when it says no, `auto` runs the
   * {@link BackendProvider.tfjsBackend} and the provider stays opt-in by
   * name (`--backend native`).
   *
   * @param work - What the backend is for (the family to train, say).
   */
  prefers?(work: BackendWork): boolean;
}

/** What a backend is chosen for, so that `auto` can pick per work. */
export interface BackendWork {
  /** The model family that will run (`dense`, `conv`, `vae`...), when known. */
  family?: string;
}

const providers = new Map<string, BackendProvider>();

/**
 * Makes `provider` a backend that `useBackend` (and so `ae --backend`) can
 * select by name, and that `auto` picks in Node for the work it
 * {@link BackendProvider.prefers} where it is available.
 *
 * @param provider - The backend, as its package defines it.
 * @example
 * ```ts
 * import { registerBackendProvider, useBackend } from '@aekit/core';
 *
 * registerBackendProvider({
 *   name: 'fast',
 *   tfjsBackend: 'wasm',
 *   unavailable: () => (process.platform === 'linux' ? undefined : `no prebuilt binary for ${process.platform}`),
 *   activate: (on) => console.log(on ? 'fast kernels on' : 'fast kernels off'),
 *   threads: () => 2,
 *   prefers: (work) => work.family === 'conv', // auto picks it for conv only
 * });
 * await useBackend('fast'); // as `ae train --backend fast`
 * ```
 */
export function registerBackendProvider(provider: BackendProvider): void {
  providers.set(provider.name, provider);
}

/** The registered provider called `name`, if any. @internal */
export function backendProvider(name: string): BackendProvider | undefined {
  return providers.get(name);
}

/** Every registered provider, in registration order. @internal */
export function backendProviders(): BackendProvider[] {
  return [...providers.values()];
}
