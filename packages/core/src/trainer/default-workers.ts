import type { ModelFamily } from '../family.js';
import { registry, type FamilyRegistry } from '../registry.js';
import { activeBackendProvider } from '../backend/backends.js';

/** Fewer examples than this per thread and exchanging weights and gradients costs more than splitting the batch saves. */
const MIN_EXAMPLES_PER_WORKER = 32;

/**
 * Hardware threads of this machine: Node's `os.availableParallelism()`,
 * reached without a static `node:os` import so that core still bundles for
 * the browser; the browser's `navigator.hardwareConcurrency` there; 1 when
 * neither is known (a Node without `process.getBuiltinModule`).
 *
 * @example
 * ```ts
 * import { hardwareThreads } from '@aekit/core';
 *
 * hardwareThreads(); // 2 on a 2-core machine; navigator.hardwareConcurrency in a browser
 * ```
 */
export function hardwareThreads(): number {
  const os = globalThis.process?.getBuiltinModule?.('node:os');
  if (os) return os.availableParallelism();
  return globalThis.navigator?.hardwareConcurrency ?? 1;
}

/**
 * How many worker threads (`FitOptions.workers`) to train with unless told:
 * the family's own `training.workers` when it sets one (the dense MNIST
 * families set 1), otherwise one per core, but no share of a batch smaller
 * than 32 examples; and one thread for a family whose plugin does not say
 * which module a worker thread should import, or where the backend's own
 * kernels already use every core (`native`): worker threads would only take
 * turns at them.
 *
 * @example
 * ```ts
 * import { defaultWorkers, registry, useBackend } from '@aekit/core';
 * import { plugin as conv } from '@aekit/models-conv';
 *
 * await useBackend('wasm');
 * registry.use(conv);
 * defaultWorkers(registry.get('conv'), 256); // 2 on 2 cores (8 on 8: 256 / 8 = 32 examples each)
 * defaultWorkers(registry.get('conv'), 32); // 1: a batch of 32 is not worth splitting
 * ```
 * @param family - The family to train.
 * @param batchSize - Examples per step.
 * @param plugins - Where the family's plugin is registered; aekit's shared registry by default.
 * @param cores - Threads the machine offers; {@link hardwareThreads} by default.
 */
export function defaultWorkers(family: ModelFamily, batchSize: number, plugins: FamilyRegistry = registry, cores: number = hardwareThreads()): number {
  if (!plugins.pluginOf(family.name)?.module) return 1;
  if (family.training?.workers !== undefined) return family.training.workers;
  if ((activeBackendProvider()?.threads() ?? 1) > 1) return 1;
  return Math.max(1, Math.min(cores, Math.floor(batchSize / MIN_EXAMPLES_PER_WORKER)));
}
