import { routeDenseLayers } from '../kernel-contracts/dense-layer-route.js';

/**
 * A package of kernels for tfjs' backends, such as `@aekit/kernels-wasm`:
 * faster kernels, kernels a backend lacks, and aekit's own ops
 * (`@aekit/core/kernels` names them). Core runs no kernel of its own; it
 * only calls these hooks, in the order the packages were added, from
 * {@link useBackend} and in every worker thread of `fit`. A package
 * usually exports a `register...()` function that calls {@link useKernels}
 * with it.
 *
 * @example
 * ```ts
 * import { tf, useKernels, type KernelPackage } from '@aekit/core';
 *
 * declare const myKernelConfig: tf.KernelConfig; // { kernelName, backendName, kernelFunc }
 * export const kernels: KernelPackage = {
 *   name: '@acme/kernels',
 *   module: import.meta.url, // this module exports it as `kernels`
 *   register: () => tf.registerKernel(myKernelConfig),
 * };
 * useKernels(kernels);
 * ```
 */
export interface KernelPackage {
  /** Its npm name, for messages. */
  readonly name: string;
  /**
   * A module that exports this package as `kernels` (set `import.meta.url`
   * in that module): worker threads import it to register the same kernels
   * in their own tfjs. Without it, worker threads run without them.
   */
  readonly module?: string;
  /**
   * Registers the package's kernels and gradients with tfjs. Called on
   * every {@link useBackend}, before the backend is initialised, so it must
   * be idempotent.
   */
  register(): void;
  /**
   * Whatever the kernels need before backend `backend` runs them,
   * asynchronously (such as compiling a WebAssembly module, which browsers
   * refuse to do synchronously for large modules). Awaited by
   * {@link useBackend}.
   *
   * @param backend - The backend about to start: `wasm`, `cpu` or `webgl`.
   */
  prepare?(backend: string): Promise<void>;
}

const packages: KernelPackage[] = [];

/**
 * Adds a kernel package: from the next {@link useBackend} on (and at once
 * where a backend already runs), its kernels are registered with tfjs.
 * Adding the same package, or another of the same name, again does nothing.
 * Packages added later register later, so they may wrap or replace the
 * kernels of earlier ones.
 *
 * @param kernels - The package, as it exports itself.
 * @example
 * ```ts
 * import { useBackend } from '@aekit/core';
 * import { registerWasmKernels } from '@aekit/kernels-wasm'; // calls useKernels(kernels)
 * registerWasmKernels();
 * await useBackend('wasm');
 * ```
 */
export function useKernels(kernels: KernelPackage): void {
  if (packages.some((known) => known === kernels || known.name === kernels.name)) return;
  packages.push(kernels);
  kernels.register();
  // Dense layers take one kernel where a package registers it (the check is per call).
  routeDenseLayers();
}

/**
 * The kernel packages added so far, in order.
 *
 * @example
 * ```ts
 * import { kernelPackages } from '@aekit/core';
 * import { registerWasmKernels } from '@aekit/kernels-wasm';
 *
 * registerWasmKernels();
 * kernelPackages().map((kernels) => kernels.name); // ['@aekit/kernels-wasm']
 * ```
 */
export function kernelPackages(): readonly KernelPackage[] {
  return [...packages];
}

/**
 * Registers every added package's kernels and awaits what each needs for
 * `backend`; called by {@link useBackend} before it switches.
 * @internal
 */
export async function prepareKernels(backend: string): Promise<void> {
  for (const kernels of packages) kernels.register();
  for (const kernels of packages) await kernels.prepare?.(backend);
}

/**
 * Adds, in a worker thread, the kernel packages the calling thread had:
 * imports each module and adds what it exports as `kernels`.
 * @internal
 */
export async function useKernelModules(modules: readonly string[]): Promise<void> {
  for (const module of modules) {
    const imported = (await import(module)) as { kernels?: KernelPackage };
    if (!imported.kernels) throw new Error(`module ${module} exports no 'kernels'`);
    useKernels(imported.kernels);
  }
}
